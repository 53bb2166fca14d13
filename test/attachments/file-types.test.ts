import { describe, expect, it } from 'vitest';
import { sniffFileType } from '../../src/core/conversations/file-types.ts';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('what a file is, by its own bytes', () => {
  it('knows the allowed kinds whatever the platform claims', () => {
    const none = {};
    expect(sniffFileType(bytes([0xff, 0xd8, 0xff, 0xdb], 'x'), none)).toBe('image/jpeg');
    expect(sniffFileType(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), none)).toBe('image/webp');
    expect(sniffFileType(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]), none)).toBe('image/heic');
    expect(sniffFileType(bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 0, 0]), none)).toBe('video/mp4');
    expect(sniffFileType(bytes('OggS', [0, 2]), none)).toBe('audio/ogg');
    expect(sniffFileType(bytes('#!AMR\n', [0x3c]), none)).toBe('audio/amr');
    expect(sniffFileType(bytes('ID3', [4, 0]), none)).toBe('audio/mpeg');
    expect(sniffFileType(bytes('%PDF-1.4\n'), none)).toBe('application/pdf');
    expect(sniffFileType(bytes('PK', [3, 4], 'xxxx[Content_Types].xml word/document.xml'), none)).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(sniffFileType(bytes('PK', [3, 4], 'photos/a.jpg'), none)).toBe('application/zip');
    const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'rest');
    expect(sniffFileType(ole, { name: '报表.xls' })).toBe('application/vnd.ms-excel');
    expect(sniffFileType(ole, {})).toBe('application/msword');
    expect(sniffFileType(new TextEncoder().encode('你好，报价单见附件\r\n'), none)).toBe(
      'text/plain; charset=utf-8',
    );
  });

  it('refuses executables and unknown binaries, and keeps HTML as plain text only', () => {
    const claimed = { contentType: 'image/jpeg', name: 'photo.jpg' };
    expect(sniffFileType(bytes('MZ', [0x90, 0, 3, 0]), claimed)).toBeNull();
    expect(sniffFileType(bytes([0x7f], 'ELF', [2, 1, 1, 0]), claimed)).toBeNull();
    expect(sniffFileType(bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), claimed)).toBeNull();
    expect(sniffFileType(bytes([0x00, 0x01, 0x02, 0x03]), claimed)).toBeNull();
    expect(sniffFileType(new Uint8Array(0), claimed)).toBeNull();
    expect(sniffFileType(new TextEncoder().encode('<html><script>alert(1)</script></html>'), claimed)).toBe(
      'text/plain; charset=utf-8',
    );
  });
});
