// DES against published vectors, and the VNC key quirk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desEncryptBlock, vncKey, vncAuthResponse } from '../core/des.js';

const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex');

test('FIPS 46 worked example and NBS vectors', () => {
    // Key, plaintext, ciphertext.
    const vectors = [
        ['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],
        ['0e329232ea6d0d73', '8787878787878787', '0000000000000000'],
        ['0000000000000000', '0000000000000000', '8ca64de9c1b123a7'],
        ['ffffffffffffffff', 'ffffffffffffffff', '7359b2163e4edc58'],
        ['0123456789abcdef', '4e6f772069732074', '3fa40e8a984d4815'],
    ];
    for (const [key, plain, cipher] of vectors) {
        assert.equal(toHex(desEncryptBlock(hex(key), hex(plain))), cipher, `key ${key}`);
    }
});

test('the VNC key reverses the bits of each password byte and pads with zeros', () => {
    assert.deepEqual([...vncKey('\x01\x80ab')], [0x80, 0x01, 0x86, 0x46, 0, 0, 0, 0]);
    assert.deepEqual([...vncKey('123456789')], [...vncKey('12345678')]);
});

test('VNC password obfuscation vector: DES of "password" under the fixed key, as vncpasswd -f writes', () => {
    // The fixed key {23,82,107,6,35,78,88,7} used through the VNC key schedule.
    const fixed = String.fromCharCode(23, 82, 107, 6, 35, 78, 88, 7);
    assert.equal(toHex(desEncryptBlock(vncKey(fixed), new TextEncoder().encode('password'))), 'dbd83cfd727a1458');
});

test('the challenge response encrypts both 8-byte halves', () => {
    const challenge = hex('00112233445566778899aabbccddeeff');
    const r = vncAuthResponse('secret', challenge);
    assert.equal(r.length, 16);
    assert.deepEqual(r.subarray(0, 8), desEncryptBlock(vncKey('secret'), challenge.subarray(0, 8)));
    assert.deepEqual(r.subarray(8), desEncryptBlock(vncKey('secret'), challenge.subarray(8)));
});
