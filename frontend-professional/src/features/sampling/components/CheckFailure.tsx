import { useTranslation } from 'react-i18next';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '@shared/lib/problems';

const CHECKS = ['product-not-performed', 'recipient-not-customer'];

interface CheckProblem {
  laboratory_code?: string;
  product_codes?: string[];
  recipient?: { care_unit_hsa_id: string; name: string | null };
}

export function isCheckFailure(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && CHECKS.includes(problemSlug(error) ?? '');
}

/**
 * The two checks of manual 4.2 for the chosen laboratory: it performs every product of the
 * order, and the result recipient is its customer. Each failed check is named with what is missing.
 */
export function CheckFailure({ error, laboratory }: { error: unknown; laboratory?: { code: string; name: string } }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError)) return null;
  const problem = (error.problem ?? {}) as CheckProblem;
  const laboratoryName = laboratory ? `${laboratory.name} (${laboratory.code})` : (problem.laboratory_code ?? '');
  const products = problem.product_codes ?? [];
  return (
    <div className="alert alert--error" role="alert">
      <h2 className="alert__title">{t('sampling.checks.title', { laboratory: laboratoryName })}</h2>
      <ul>
        {products.length > 0 && (
          <li>{t('sampling.checks.products', { laboratory: laboratoryName, products: products.join(', ') })}</li>
        )}
        {problem.recipient && (
          <li>
            {t('sampling.checks.recipient', {
              laboratory: laboratoryName,
              recipient: problem.recipient.name ?? problem.recipient.care_unit_hsa_id,
              hsaId: problem.recipient.care_unit_hsa_id,
            })}
          </li>
        )}
      </ul>
      <p>{t('sampling.checks.what')}</p>
    </div>
  );
}
