// Module codes from the backend, in menu order. "export" is a permission, not a menu item.
export const MENU_MODULES = [
  'sampling',
  'labels',
  'order_receipt',
  'result_registration',
  'worklist',
  'treatment_responsibility',
  'contact_tracing',
  'assign_offer',
  'assigned_offers',
  'administration',
] as const;

export type MenuModule = (typeof MENU_MODULES)[number];

/** The permitted menu modules in menu order, without duplicates and unknown codes. */
export function menuModules(granted: { module: string }[]): MenuModule[] {
  const codes = new Set(granted.map((g) => g.module));
  return MENU_MODULES.filter((m) => codes.has(m));
}
