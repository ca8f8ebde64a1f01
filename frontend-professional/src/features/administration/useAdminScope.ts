import { useStaffMe } from '../../session/useStaffMe';

/** What the logged-in staff member administers, from GET /api/staff/me's `administration`. */
export interface AdminScope {
  /** Central administrator: national product codes and help texts. */
  central: boolean;
  /** Operator or central administrator: every region. */
  national: boolean;
  /** National or regional administrator: laboratories, offers, sampling units and new care units. */
  regional: boolean;
  regionCodes: string[];
  careUnitHsaIds: string[];
}

const NOTHING: AdminScope = { central: false, national: false, regional: false, regionCodes: [], careUnitHsaIds: [] };

export function useAdminScope(): AdminScope {
  const administration = useStaffMe().data?.administration;
  if (!administration) return NOTHING;
  return {
    central: administration.central,
    national: administration.national,
    regional: administration.national || administration.region_codes.length > 0,
    regionCodes: administration.region_codes,
    careUnitHsaIds: administration.care_unit_hsa_ids,
  };
}
