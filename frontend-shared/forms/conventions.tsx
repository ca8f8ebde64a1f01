// What the two apps do differently around the same fields, stated once per app (in its Layout)
// instead of in two sets of components: the citizen app reads an error out as "Fel: …" and
// marks optional fields; the professional app marks required fields and shows the help text
// of a field while help texts are switched on.
import { createContext, useContext } from 'react';

export interface FormConventions {
  /** Title of the error summary ("Det finns fel som du behöver rätta"). */
  errorSummaryTitle: string;
  /** Read before each error message by screen readers, not shown ("Fel: "). */
  errorPrefix?: string;
  /** Shown after the label of a field with `required` ("(obligatoriskt)"). */
  requiredMark?: string;
  /** Shown after the label of a field with `optional` ("(frivilligt)"). */
  optionalMark?: string;
  /**
   * The help text of a field by its key ("offer.validity_days"), if any. Called as a hook by
   * every field, so it must be the same function for the app's lifetime.
   */
  useHelpText?: (key: string | undefined) => string | undefined;
}

const noHelpText = () => undefined;

export const FormConventionsContext = createContext<FormConventions>({ errorSummaryTitle: '' });

export function useFormConventions(): FormConventions {
  return useContext(FormConventionsContext);
}

/** The help text of `key` under the app's conventions. */
export function useHelpText(key: string | undefined): string | undefined {
  const { useHelpText: lookUp = noHelpText } = useFormConventions();
  return lookUp(key);
}
