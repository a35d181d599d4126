// Telnet protocol constants (RFC 854, 855) and the options this client knows.
//
// A command is IAC followed by one code byte (RFC 854 "TELNET COMMAND
// STRUCTURE"); option negotiation adds one option byte; a subnegotiation is
// framed by SB and IAC SE (RFC 855):
//
//   IAC <cmd>                      255 241..249
//   IAC <WILL|WONT|DO|DONT> <opt>  255 251..254 <0..255>
//   IAC SB <opt> <data...> IAC SE  255 250 <opt> ... 255 240
//
// Inside data and subnegotiations a 255 byte is sent as IAC IAC.

/** Command codes (RFC 854). */
export const IAC = 255;   // interpret as command
export const DONT = 254;  // demand that the peer stop, or confirm it stopped, an option
export const DO = 253;    // ask the peer to start, or confirm it started, an option
export const WONT = 252;  // refuse, or stop, performing an option
export const WILL = 251;  // offer, or confirm, performing an option
export const SB = 250;    // subnegotiation begins
export const GA = 249;    // go ahead
export const EL = 248;    // erase line
export const EC = 247;    // erase character
export const AYT = 246;   // are you there
export const AO = 245;    // abort output
export const IP = 244;    // interrupt process
export const BRK = 243;   // break
export const DM = 242;    // data mark (the data part of a Synch)
export const NOP = 241;   // no operation
export const SE = 240;    // subnegotiation ends

/** NVT characters that the CR rules of RFC 854 are about. */
export const NUL = 0;
export const LF = 10;
export const CR = 13;

/** Option codes. */
export const OPT = Object.freeze({
    BINARY: 0,          // RFC 856: 8-bit data, no NVT rules
    ECHO: 1,            // RFC 857: the side that WILLs it echoes what it receives
    SGA: 3,             // RFC 858: suppress go-ahead (full duplex)
    STATUS: 5,
    TIMING_MARK: 6,
    TTYPE: 24,          // RFC 1091 (930): terminal type
    NAWS: 31,           // RFC 1073: window size
    TSPEED: 32,
    LFLOW: 33,
    LINEMODE: 34,       // RFC 1184
    XDISPLOC: 35,
    ENVIRON: 36,
    AUTHENTICATION: 37,
    ENCRYPT: 38,
    NEW_ENVIRON: 39,
});

/** Terminal type subnegotiation commands (RFC 1091). */
export const TTYPE_IS = 0;
export const TTYPE_SEND = 1;

const COMMAND_NAMES = {
    [IAC]: 'IAC', [DONT]: 'DONT', [DO]: 'DO', [WONT]: 'WONT', [WILL]: 'WILL', [SB]: 'SB',
    [GA]: 'GA', [EL]: 'EL', [EC]: 'EC', [AYT]: 'AYT', [AO]: 'AO', [IP]: 'IP', [BRK]: 'BRK',
    [DM]: 'DM', [NOP]: 'NOP', [SE]: 'SE',
};

const OPTION_NAMES = Object.fromEntries(Object.entries(OPT).map(([name, code]) => [code, name]));

/** 'WILL', 'NOP', ... or the number, for log lines. */
export function commandName(code) {
    return COMMAND_NAMES[code] ?? String(code);
}

/** 'NAWS', 'TTYPE', ... or the number, for log lines. */
export function optionName(code) {
    return OPTION_NAMES[code] ?? String(code);
}
