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
  return (
    <>
      <SlotPicker id="booking-slot" slots={slots} value={value} onChange={setValue} />
      <output data-testid="value">{value}</output>
    </>
  );
}

describe('SlotPicker', () => {
  it('asks for a day first, then shows only the times of that day in local time', async () => {
    setupI18n('sv');
    // Seven weekdays in December (CET), two times each, given out of order.
    const slots = [1, 2, 3, 4, 7, 8, 9].flatMap((day) => {
      const date = `2026-12-${String(day).padStart(2, '0')}`;
      return [slot(`${day}-2`, `${date}T13:30:00Z`), slot(`${day}-1`, `${date}T07:00:00Z`)];
    });
    render(<Picker slots={slots} />);

    const days = screen.getByRole('group', { name: 'Välj dag' });
    expect(within(days).getAllByRole('radio').map((r) => r.parentElement?.textContent)).toEqual([
      'tisdag 1 december2 lediga tider',
      'onsdag 2 december2 lediga tider',
      'torsdag 3 december2 lediga tider',
      'fredag 4 december2 lediga tider',
      'måndag 7 december2 lediga tider',
      'tisdag 8 december2 lediga tider',
      'onsdag 9 december2 lediga tider',
    ]);
    // No times before a day is chosen: the step stays short on a phone.
    expect(screen.queryByRole('group', { name: /^Välj tid/ })).not.toBeInTheDocument();
    expect(screen.getAllByRole('radio')).toHaveLength(7);

    await userEvent.click(within(days).getByRole('radio', { name: /tisdag 8 december/ }));
    const times = screen.getByRole('group', { name: 'Välj tid tisdag 8 december' });
    expect(within(times).getAllByRole('radio').map((r) => r.parentElement?.textContent)).toEqual([
      '08:00',
      '14:30',
    ]);
    await userEvent.click(within(times).getByRole('radio', { name: '14:30' }));
    expect(screen.getByTestId('value')).toHaveTextContent('8-2');

    // Another day: the time chosen on the first one is no longer chosen.
    await userEvent.click(within(days).getByRole('radio', { name: /onsdag 9 december/ }));
    expect(screen.getByTestId('value')).toHaveTextContent('');
    expect(screen.getByRole('group', { name: 'Välj tid onsdag 9 december' })).toBeInTheDocument();
  });

  it('shows an error about the time on the days until a day is chosen', () => {
    setupI18n('sv');
    render(
      <SlotPicker
        id="booking-slot"
        slots={[slot('a', '2026-12-01T07:00:00Z'), slot('b', '2026-12-02T07:00:00Z')]}
        value=""
        onChange={() => undefined}
        error="Välj en tid."
      />,
    );
    const days = screen.getByRole('group', { name: 'Välj dag' });
    expect(days).toHaveAttribute('id', 'booking-slot');
    expect(days).toHaveAccessibleDescription('Dagar med lediga tider de närmaste två veckorna. Välj en tid.');
  });
});
