// An order's status as staff read it (orderStatus.* texts).
export function statusKey(status: string) {
  switch (status) {
    case 'ordered':
    case 'handled':
    case 'sampled':
    case 'answered':
    case 'cancelled':
    case 'expired':
    case 'rejected':
      return `orderStatus.${status}` as const;
    default:
      return 'orderStatus.unknown' as const;
  }
}
