// Drives an RFB client against a scripted server over a FakeWebSocket.
import { RFB } from '../../core/rfb.js';
import { Log } from '../../core/log.js';
import { FakeWebSocket } from './fakews.js';
import { concat, u8, u32 } from './bytes.js';
import * as srv from './server.js';

Log.init('none');

export function startClient(options = {}, wsOptions = {}) {
    const ws = new FakeWebSocket(wsOptions);
    const rfb = new RFB(null, ws, options);
    const events = [];
    for (const type of ['connect', 'disconnect', 'credentialsrequired', 'securityfailure',
        'clipboard', 'desktopname', 'bell', 'capabilities']) {
        rfb.addEventListener(type, (e) => events.push({ type, detail: e.detail }));
    }
    return { rfb, ws, events };
}

/** Server bytes of a 3.8 handshake with security None, up to ServerInit. */
export function handshake38(width = 64, height = 48, name = 'test desktop') {
    return concat(srv.version('003.008'), u8(1), u8(1), u32(0), srv.serverInit(width, height, name));
}

/** Client bytes answering handshake38. */
export function handshake38Reply() {
    return concat(srv.version('003.008'), u8(1), u8(1));
}

/** A connected client with the handshake's messages already taken. */
export function connected(options = {}, width = 64, height = 48) {
    const s = startClient(options);
    s.ws.receive(handshake38(width, height));
    s.ws.takeSent();
    s.events.length = 0;
    return s;
}
