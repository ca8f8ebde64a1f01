import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeBackend, staffSession } from '../../test/fakeBackend';
import { installFakeBrowserPrint, zebraDevice } from '../../test/fakeBrowserPrint';
import { staffMeWith, waitingKits } from '../../test/issue8Fixtures';
import { renderApp } from '../../test/renderApp';

const KEY = 'egen-provhantering-pro.printer';

describe('choosing the label printer', () => {
  it("starts on the agent's default, remembers the choice by name only and uses it next time", async () => {
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWith('labels', 'sampling'), listKitOrders: waitingKits, listSamplingPrinters: { printers: ['10.1.2.3:9100'] } });
    installFakeBrowserPrint([zebraDevice('ZD-1'), zebraDevice('ZD-2')], 'ZD-1');
    const first = renderApp('/pro/etiketter');
    const picker = await screen.findByRole('combobox', { name: 'Etikettskrivare' });
    expect(picker).toHaveValue('ZD-1');
    await within(picker).findByRole('option', { name: '10.1.2.3:9100' });
    expect(within(picker).getAllByRole('group').map((g) => g.getAttribute('label'))).toEqual([
      'Zebra Browser Print på den här datorn',
      'Nätverksskrivare (IP-print)',
    ]);
    await userEvent.selectOptions(picker, 'ZD-2');
    expect(window.localStorage.getItem(KEY)).toBe('ZD-2');
    first.unmount();

    renderApp('/pro/etiketter');
    expect(await screen.findByRole('combobox', { name: 'Etikettskrivare' })).toHaveValue('ZD-2');
  });

  it('says so when the remembered printer is not there now', async () => {
    window.localStorage.setItem(KEY, 'ZD-gammal');
    installFakeBackend({ getSession: staffSession, getStaffMe: staffMeWith('labels'), listKitOrders: waitingKits });
    installFakeBrowserPrint([zebraDevice('ZD-1')]);
    renderApp('/pro/etiketter');
    expect(await screen.findByText('Den skrivare du valde senast, ZD-gammal, hittas inte just nu.')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Etikettskrivare' })).toHaveValue('ZD-1');
  });
});
