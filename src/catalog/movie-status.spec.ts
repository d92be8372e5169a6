import { movieStatusOn } from './movie-status';

describe('movieStatusOn', () => {
  const movie = { releaseDate: '2026-03-10', offDate: '2026-04-10' };

  it('should be upcoming before the release day', () => {
    expect(movieStatusOn(movie, '2026-03-09')).toBe('upcoming');
  });

  it('should be showing from the release day through the off date', () => {
    expect(movieStatusOn(movie, '2026-03-10')).toBe('showing');
    expect(movieStatusOn(movie, '2026-04-10')).toBe('showing');
  });

  it('should be off the day after the off date', () => {
    expect(movieStatusOn(movie, '2026-04-11')).toBe('off');
  });

  it('should keep showing forever without an off date', () => {
    expect(movieStatusOn({ releaseDate: '2026-03-10', offDate: null }, '2099-01-01')).toBe('showing');
  });

  it('should compare across month and year boundaries as calendar days', () => {
    expect(movieStatusOn({ releaseDate: '2027-01-01', offDate: null }, '2026-12-31')).toBe('upcoming');
  });
});
