import { useTranslation } from 'react-i18next';
import type { Option } from '@shared/forms';
import { useCareUnits } from '../api/careUnits';
import { useLaboratories } from '../api/laboratories';
import { useProducts } from '../api/products';
import { useRegions } from '../api/referenceData';

export function useRegionOptions(): Option[] {
  const regions = useRegions();
  return (regions.data ?? []).map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }));
}

/** Care units the administrator may see, optionally only those of one region. */
export function useCareUnitOptions(regionCode?: string): Option[] {
  const units = useCareUnits();
  return (units.data ?? [])
    .filter((u) => !u.retired && (!regionCode || u.region_code === regionCode))
    .map((u) => ({ value: u.hsa_id, label: `${u.name} (${u.hsa_id})` }));
}

export function useProductOptions(): Option[] {
  const products = useProducts();
  return (products.data ?? [])
    .filter((p) => !p.retired)
    .map((p) => ({ value: p.code, label: `${p.name} (${p.code})` }));
}

export function useLaboratoryOptions(regionCode?: string): Option[] {
  const labs = useLaboratories();
  return (labs.data ?? [])
    .filter((l) => !l.retired && (!regionCode || l.region_code === regionCode))
    .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }));
}

export function useYesNo() {
  const { t } = useTranslation();
  return (value: boolean) => (value ? t('admin.yes') : t('admin.no'));
}
