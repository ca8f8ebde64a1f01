import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { setupI18n } from '../../../i18n';
import { slot } from '../../../test/fixtures';
import { groupSlotsByDay, SlotPicker } from './SlotPicker';

describe('groupSlotsByDay', () => {
  it('groups UTC times by their day in Swedish local time', () => {
    const days = groupSlotsByDay([
      // 23:30 UTC on 28 March is 00:30 on 29 March in Stockholm (CET, +01:00)…
      slot('b', '2026-03-28T23:30:00Z'),
      slot('a', '2026-03-28T22:30:00Z'),
      // …and after the switch to summer time 22:30 UTC is already the next day (+02:00).
      slot('c', '2026-03-29T22:30:00Z'),
    ]);
    expect(days.map((day) => [day.key, day.slots.map((s) => s.slot_id)])).toEqual([
      ['2026-03-28', ['a']],
      ['2026-03-29', ['b']],
      ['2026-03-30', ['c']],
    ]);
  });
});

function Picker({ slots }: { slots: ReturnType<typeof slot>[] }) {
  const [value, setValue] = useState('');
  return <SlotPicker id="booking-slot" slots={slots} value={value} onChange={setValue} />;
}

describe('SlotPicker', () => {
  it('shows the first five days, local times, and the rest on "Visa fler tider"', async () => {
    setupI18n('sv');
    // Seven weekdays in December (CET), two times each, given out of order.
    const slots = [1, 2, 3, 4, 7, 8, 9].flatMap((day) => {
      const date = `2026-12-${String(day).padStart(2, '0')}`;
      return [slot(`${day}-2`, `${date}T13:30:00Z`), slot(`${day}-1`, `${date}T07:00:00Z`)];
    });
    render(<Picker slots={slots} />);

    const outer = screen.getByRole('group', { name: 'Välj tid' });
    const days = within(outer).getAllByRole('group');
    expect(days.map((d) => d.querySelector('legend')?.textContent)).toEqual([
      'tisdag 1 december',
      'onsdag 2 december',
      'torsdag 3 december',
      'fredag 4 december',
      'måndag 7 december',
    ]);
    const firstDay = within(outer).getByRole('group', { name: 'tisdag 1 december' });
    expect(within(firstDay).getAllByRole('radio').map((r) => r.parentElement?.textContent)).toEqual([
      '08:00',
      '14:30',
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Visa fler tider' }));
    expect(within(outer).getAllByRole('group')).toHaveLength(7);
    expect(screen.queryByRole('button', { name: 'Visa fler tider' })).not.toBeInTheDocument();
    // The focus goes to the first newly shown time.
    const sixth = within(outer).getByRole('group', { name: 'tisdag 8 december' });
    expect(within(sixth).getAllByRole('radio')[0]).toHaveFocus();

    await userEvent.click(within(sixth).getAllByRole('radio')[1] as HTMLElement);
    expect(within(sixth).getAllByRole('radio')[1]).toBeChecked();
  });
});
