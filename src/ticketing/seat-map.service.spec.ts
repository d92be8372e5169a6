import { gunzipSync } from 'node:zlib';
import { SeatMapRepository, SeatMapStamp } from './seat-map.repository';
import { SeatMapService } from './seat-map.service';

const stamp = (version: number): SeatMapStamp => ({
  version,
  priceCents: 4500,
  rows: 2,
  cols: 3,
  disabledSeats: '[]',
  pricing: '\u0000\u0000\u0000',
});
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('SeatMapService', () => {
  let version: number;
  const repository = {
    findStamps: jest.fn((ids: number[]) =>
      Promise.resolve(new Map(ids.filter((id) => id === 1).map((id) => [id, stamp(version)]))),
    ),
    findClaims: jest.fn(() => Promise.resolve([{ row: 1, col: 2, expiresAt: null }])),
  };
  let service: SeatMapService;

  beforeEach(() => {
    version = 1;
    jest.clearAllMocks();
    service = new SeatMapService(repository as unknown as SeatMapRepository);
  });

  it('should answer the readers of one tick with one stamp query, and build the map once', async () => {
    const maps = await Promise.all(Array.from({ length: 10 }, () => service.seatMap(1)));
    expect(repository.findStamps).toHaveBeenCalledTimes(1);
    expect(repository.findClaims).toHaveBeenCalledTimes(1);
    for (const map of maps) expect(map.seats.find((s) => s.row === 1 && s.col === 2)?.status).toBe('sold');
  });

  it('should send a new stamp query for a reader arriving after the last one went out', async () => {
    const first = service.seatMap(1);
    await nextTurn();
    version = 2;
    repository.findClaims.mockResolvedValueOnce([]);
    const second = service.seatMap(1);
    expect((await first).seats.find((s) => s.row === 1 && s.col === 2)?.status).toBe('sold');
    expect((await second).seats.every((s) => s.status === 'available')).toBe(true);
    expect(repository.findStamps).toHaveBeenCalledTimes(2);
  });

  it('should answer 1014 to every reader of an unknown showtime, and the map to the others of the tick', async () => {
    const reads = await Promise.allSettled([service.seatMap(9), service.seatMap(1), service.seatMap(9)]);
    expect(reads.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(repository.findStamps).toHaveBeenCalledTimes(1);
    expect(repository.findStamps).toHaveBeenCalledWith([9, 1]);
  });

  it('should send the gzip of the same bytes, with one ETag for both encodings', async () => {
    const plain = await service.seatMapResponse(1, false);
    const gzipped = await service.seatMapResponse(1, true);
    expect(gzipped.headers['Content-Encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body as Buffer)).toEqual(plain.body);
    expect(gzipped.headers.ETag).toBe(plain.headers.ETag);
  });
});
