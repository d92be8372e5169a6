import { hasSeat, layoutProblem, sameLayout, seatCountOf } from './hall-layout';

describe('hall layout rules', () => {
  it('should accept disabled seats inside the grid and count the rest', () => {
    const layout = {
      rows: 5,
      cols: 8,
      disabledSeats: [
        { row: 1, col: 1 },
        { row: 5, col: 8 },
      ],
    };
    expect(layoutProblem(layout)).toBeNull();
    expect(seatCountOf(layout)).toBe(38);
  });

  it('should refuse a disabled seat outside the grid, naming it', () => {
    expect(layoutProblem({ rows: 5, cols: 8, disabledSeats: [{ row: 6, col: 1 }] })).toMatch(/\[0\].*outside the 5×8/);
    expect(layoutProblem({ rows: 5, cols: 8, disabledSeats: [{ row: 1, col: 9 }] })).toMatch(/outside/);
  });

  it('should refuse a disabled seat listed twice', () => {
    const seat = { row: 2, col: 3 };
    expect(layoutProblem({ rows: 5, cols: 8, disabledSeats: [seat, { ...seat }] })).toMatch(/\[1\].*twice/);
  });

  it('should refuse a layout without a single seat', () => {
    expect(layoutProblem({ rows: 1, cols: 1, disabledSeats: [{ row: 1, col: 1 }] })).toMatch(/no seat/);
  });

  it('should tell which seats a layout keeps', () => {
    const layout = { rows: 3, cols: 3, disabledSeats: [{ row: 2, col: 2 }] };
    expect(hasSeat(layout, { row: 1, col: 3 })).toBe(true);
    expect(hasSeat(layout, { row: 2, col: 2 })).toBe(false);
    expect(hasSeat(layout, { row: 4, col: 1 })).toBe(false);
  });

  it('should compare layouts regardless of the order of disabled seats', () => {
    const a = {
      rows: 3,
      cols: 3,
      disabledSeats: [
        { row: 1, col: 1 },
        { row: 2, col: 2 },
      ],
    };
    expect(
      sameLayout(a, {
        ...a,
        disabledSeats: [
          { row: 2, col: 2 },
          { row: 1, col: 1 },
        ],
      }),
    ).toBe(true);
    expect(sameLayout(a, { ...a, rows: 4 })).toBe(false);
    expect(sameLayout(a, { ...a, disabledSeats: [{ row: 1, col: 1 }] })).toBe(false);
  });
});
