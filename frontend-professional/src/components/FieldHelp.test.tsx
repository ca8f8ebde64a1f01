import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, staffSession } from '../test/fakeBackend';
import { renderApp } from '../test/renderApp';
import { staffMeWithModules } from '../test/staffFixtures';

const helpTexts = [
  {
    key: 'laboratory.label_template_zpl',
    text_sv: 'Klistra in mallen från etikettskrivarens leverantör.',
    text_en: 'Paste the template from the label printer supplier.',
    version: 1,
  },
];

describe('help texts at the fields', () => {
  it('are fetched and shown under their field only while "Hjälptexter" is on', async () => {
    const backend = installFakeBackend({
      getSession: staffSession,
      getStaffMe: staffMeWithModules,
      listRegions: [{ code: '01', name: 'Region Stockholm' }],
      listHelpTexts: helpTexts,
    });
    renderApp('/pro/admin/laboratorier/ny');
    const template = await screen.findByLabelText('Etikettmall (ZPL)');
    const help = 'Klistra in mallen från etikettskrivarens leverantör.';
    expect(screen.queryByText(help)).not.toBeInTheDocument();
    expect(template.getAttribute('aria-describedby')).not.toContain('help');
    expect(backend.requests.some((r) => new URL(r.url).pathname === '/api/staff/help-texts')).toBe(false);

    const toggle = screen.getByRole('button', { name: 'Hjälptexter' });
    await userEvent.click(toggle);
    const text = await screen.findByText(help);
    expect(text.id).toBe('lab-new-label_template_zpl-help');
    expect(template.getAttribute('aria-describedby')).toContain('lab-new-label_template_zpl-help');
    // A field without a help text gets nothing extra.
    const name = screen.getByLabelText(/^Namn/);
    expect(name).not.toHaveAttribute('aria-describedby');

    await userEvent.click(toggle);
    expect(screen.queryByText(help)).not.toBeInTheDocument();
    expect(template.getAttribute('aria-describedby')).not.toContain('help');
  });
});
