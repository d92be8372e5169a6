import { detectImageType } from './image-type';

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('detectImageType', () => {
  it('should recognise PNG, JPEG, GIF and WebP by their magic bytes', () => {
    expect(detectImageType(bytes([0x89], 'PNG\r\n\x1a\n', 'rest'))?.ext).toBe('png');
    expect(detectImageType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))?.ext).toBe('jpg');
    expect(detectImageType(bytes('GIF89a', [1, 0, 1, 0]))?.ext).toBe('gif');
    expect(detectImageType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))?.ext).toBe('webp');
  });

  it('should refuse anything else, whatever it is called', () => {
    expect(detectImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectImageType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeNull();
    expect(detectImageType(Buffer.alloc(0))).toBeNull();
  });
});
