// What the client writes: IAC escaping, the NVT CR rules (RFC 854), NAWS
// (RFC 1073) and TERMINAL-TYPE IS (RFC 1091), as hex vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeIac, encodeData, command, negotiation, subnegotiation, windowSize, terminalType } from '../telnet/writer.js';
import { ascii, concat } from './helpers/bytes.js';

const hex = (bytes) => Buffer.from(bytes).toString('hex');

test('escapeIac doubles every 255 and leaves other arrays alone', () => {
    assert.equal(hex(escapeIac(Uint8Array.of(1, 255, 2))), '01ffff02');
    assert.equal(hex(escapeIac(Uint8Array.of(255, 255))), 'ffffffff');
    const plain = Uint8Array.of(1, 2, 3);
    assert.equal(escapeIac(plain), plain, 'no copy without IAC');
});

test('NVT data: a bare CR becomes CR NUL, CR LF stays, IAC is doubled', () => {
    assert.equal(hex(encodeData(concat(ascii('a\rb')))), '610d0062');        // CR NUL
    assert.equal(hex(encodeData(concat(ascii('a\r\nb')))), '610d0a62');      // CR LF unchanged
    assert.equal(hex(encodeData(concat(ascii('a\r')))), '610d00');          // trailing CR: bare
    assert.equal(hex(encodeData(Uint8Array.of(13, 13, 10))), '0d000d0a');   // CR CR LF
    assert.equal(hex(encodeData(Uint8Array.of(255, 13))), 'ffff0d00');     // IAC and CR together
    assert.equal(hex(encodeData(Uint8Array.of(10))), '0a');                 // bare LF is fine
});

test('binary data: only IAC is doubled', () => {
    assert.equal(hex(encodeData(Uint8Array.of(13, 0, 255, 13), true)), '0d00ffff0d');
});

test('commands and negotiation', () => {
    assert.equal(hex(command(246)), 'fff6');                  // IAC AYT
    assert.equal(hex(negotiation(251, 31)), 'fffb1f');        // IAC WILL NAWS
    assert.equal(hex(negotiation(254, 200)), 'fffec8');       // IAC DONT 200
    assert.equal(hex(subnegotiation(200, Uint8Array.of(255, 240))), 'fffac8fffff0fff0');   // payload escaped
});

test('NAWS: width and height as 16-bit big endian, 255 doubled', () => {
    // IAC SB NAWS 0 80 0 24 IAC SE
    assert.equal(hex(windowSize(80, 24)), 'fffa1f00500018fff0');
    // width 255: 00 FF doubled
    assert.equal(hex(windowSize(255, 24)), 'fffa1f00ffff0018fff0');
    // width 511 (01 FF), height 255 (00 FF): both escaped
    assert.equal(hex(windowSize(511, 255)), 'fffa1f01ffff00fffffff0');
    // 65535 x 65280: FF FF FF 00
    assert.equal(hex(windowSize(65535, 65280)), 'fffa1fffffffffffff00fff0');
    // out of range and nonsense clamp to 0..65535
    assert.equal(hex(windowSize(70000, -3)), 'fffa1fffffffff0000fff0');
    assert.equal(hex(windowSize(NaN, 24.9)), 'fffa1f00000018fff0');
});

test('TERMINAL-TYPE IS', () => {
    // IAC SB TTYPE IS "xterm-256color" IAC SE
    assert.equal(hex(terminalType('xterm-256color')), `fffa1800${hex(ascii('xterm-256color'))}fff0`);
});
