import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HelpText, HelpTextsProvider, useHelpTexts } from './HelpTexts';

function Toggle() {
  const { enabled, toggle } = useHelpTexts();
  return (
    <button type="button" aria-pressed={enabled} onClick={toggle}>
      toggle
    </button>
  );
}

describe('HelpTexts', () => {
  it('shows help texts only while switched on', async () => {
    render(
      <HelpTextsProvider>
        <Toggle />
        <HelpText>help</HelpText>
      </HelpTextsProvider>,
    );
    expect(screen.queryByText('help')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button'));
    expect(screen.getByText('help')).toBeInTheDocument();
  });
});
