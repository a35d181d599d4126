// Option negotiation by the Q method (RFC 1143): answers only change states,
// acknowledgements are never answered, unknown options are refused once, and
// two negotiators wired together always fall silent and agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionNegotiation, NO, YES, WANTNO, WANTYES } from '../telnet/options.js';
import { random } from './helpers/bytes.js';
import { Log } from '../core/log.js';

const WILL = 251, WONT = 252, DO = 253, DONT = 254;
const ECHO = 1, SGA = 3, TTYPE = 24, NAWS = 31;
const NAMES = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO', [DONT]: 'DONT' };

/** A negotiator that records what it sends and what changed. */
function client({ us = [SGA, TTYPE, NAWS], him = [ECHO, SGA] } = {}) {
    const sent = [];
    const changes = [];
    const q = new OptionNegotiation({
        send: (verb, option) => sent.push(`${NAMES[verb]} ${option}`),
        accepts: (side, option) => (side === 'us' ? us : him).includes(option),
        changed: (side, option, on) => changes.push(`${side} ${option} ${on ? 'on' : 'off'}`),
    });
    const take = () => sent.splice(0);
    return { q, sent, changes, take };
}

test('the server offers ECHO: we accept once and ignore its repetition', () => {
    const c = client();
    c.q.receive(WILL, ECHO);
    assert.deepEqual(c.take(), ['DO 1']);
    assert.equal(c.q.state('him', ECHO), YES);
    c.q.receive(WILL, ECHO);
    assert.deepEqual(c.take(), [], 'an acknowledgement is not answered');
    assert.deepEqual(c.changes, ['him 1 on']);
});

test('the server asks for TTYPE and NAWS: we agree', () => {
    const c = client();
    c.q.receive(DO, TTYPE);
    c.q.receive(DO, NAWS);
    assert.deepEqual(c.take(), ['WILL 24', 'WILL 31']);
    assert.deepEqual(c.changes, ['us 24 on', 'us 31 on']);
});

test('unknown options are refused once, and their refusals are not answered', () => {
    const c = client();
    c.q.receive(WILL, 200);
    c.q.receive(DO, 201);
    assert.deepEqual(c.take(), ['DONT 200', 'WONT 201']);
    c.q.receive(WONT, 200);
    c.q.receive(DONT, 201);
    assert.deepEqual(c.take(), []);
    assert.equal(c.q.state('him', 200), NO);
    assert.deepEqual(c.changes, []);
    // an option we perform but do not let the server perform is refused on that side only
    c.q.receive(WILL, TTYPE);
    assert.deepEqual(c.take(), ['DONT 24']);
    c.q.receive(DO, ECHO);
    assert.deepEqual(c.take(), ['WONT 1'], 'we never echo');
});

test('our request is confirmed without a further answer', () => {
    const c = client();
    c.q.request('him', SGA, true);
    assert.deepEqual(c.take(), ['DO 3']);
    assert.equal(c.q.state('him', SGA), WANTYES);
    assert.deepEqual(c.changes, [], 'not in effect while negotiating');
    c.q.receive(WILL, SGA);
    assert.deepEqual(c.take(), []);
    assert.equal(c.q.state('him', SGA), YES);
    assert.deepEqual(c.changes, ['him 3 on']);
});

test('our request is refused: off, no answer', () => {
    const c = client();
    c.q.request('us', NAWS, true);
    c.q.receive(DONT, NAWS);
    assert.deepEqual(c.take(), ['WILL 31']);
    assert.equal(c.q.state('us', NAWS), NO);
    assert.deepEqual(c.changes, []);
});

test('requests that cross on the wire settle without a reply', () => {
    const c = client();
    c.q.request('us', TTYPE, true);   // we send WILL TTYPE while the server sends DO TTYPE
    c.q.receive(DO, TTYPE);
    assert.deepEqual(c.take(), ['WILL 24']);
    assert.equal(c.q.state('us', TTYPE), YES);
});

test('the server turns an option off: we confirm once', () => {
    const c = client();
    c.q.receive(WILL, ECHO);
    c.q.receive(WONT, ECHO);
    c.q.receive(WONT, ECHO);
    assert.deepEqual(c.take(), ['DO 1', 'DONT 1']);
    assert.deepEqual(c.changes, ['him 1 on', 'him 1 off']);
});

test('we turn an option off: out of effect at once, confirmed by the server', () => {
    const c = client();
    c.q.receive(DO, NAWS);
    c.q.request('us', NAWS, false);
    assert.equal(c.q.state('us', NAWS), WANTNO);
    c.q.receive(DONT, NAWS);
    assert.deepEqual(c.take(), ['WILL 31', 'WONT 31']);
    assert.equal(c.q.state('us', NAWS), NO);
    assert.deepEqual(c.changes, ['us 31 on', 'us 31 off']);
});

test('the queue: a change of mind while negotiating is sent after the answer', () => {
    const c = client();
    c.q.request('him', SGA, true);
    c.q.request('him', SGA, false);          // queued: WANTYES + OPPOSITE
    assert.deepEqual(c.take(), ['DO 3']);
    c.q.receive(WILL, SGA);                  // answer arrives: now ask to turn it off
    assert.deepEqual(c.take(), ['DONT 3']);
    assert.equal(c.q.state('him', SGA), WANTNO);
    c.q.receive(WONT, SGA);
    assert.deepEqual(c.take(), []);
    assert.equal(c.q.state('him', SGA), NO);
    assert.deepEqual(c.changes, [], 'never in effect');

    c.q.receive(WILL, ECHO);
    c.q.request('him', ECHO, false);
    c.q.request('him', ECHO, true);          // queued: WANTNO + OPPOSITE
    c.q.receive(WONT, ECHO);                 // off confirmed: ask again
    c.q.receive(WILL, ECHO);
    assert.deepEqual(c.take(), ['DO 1', 'DONT 1', 'DO 1']);
    assert.equal(c.q.state('him', ECHO), YES);
});

test('a peer that answers our DONT with WILL is not argued with', () => {
    Log.init('none');
    const c = client();
    c.q.receive(WILL, ECHO);
    c.q.request('him', ECHO, false);
    c.q.receive(WILL, ECHO);
    assert.deepEqual(c.take(), ['DO 1', 'DONT 1']);
    assert.equal(c.q.state('him', ECHO), NO);
    Log.init('warn');
});

test('a peer with the plain RFC 854 rules cannot make us loop', () => {
    // The peer keeps only on/off per option and side and answers a command
    // only when it changes that state (RFC 854). Now and then it asks for
    // something itself, but not while a command about that option is on the
    // wire (with that, two such peers can loop: RFC 1143 section 4). Its
    // requests and ours still cross.
    const options = [ECHO, SGA, TTYPE, NAWS, 0, 200];
    for (let seed = 1; seed <= 200; seed++) {
        const rnd = random(seed);
        const pick = (list) => list[Math.floor(rnd() * list.length)];
        const likes = new Set(options.filter(() => rnd() < 0.5));
        const toUs = [];
        const toPeer = [];
        const us = new OptionNegotiation({
            send: (verb, option) => toPeer.push([verb, option]),
            accepts: (side, option) => (side === 'us' ? [SGA, TTYPE, NAWS] : [ECHO, SGA]).includes(option),
            changed: () => {},
        });
        // the peer's own sides: 'us' (it performs: WILL/WONT) and 'him' (we perform: DO/DONT)
        const peerOn = new Set();
        const peer = (verb, option) => {
            const aboutUs = verb === WILL || verb === WONT;
            const key = `${aboutUs ? 'him' : 'us'}:${option}`;
            const [yes, no] = aboutUs ? [DO, DONT] : [WILL, WONT];
            if (verb === WILL || verb === DO) {
                if (!peerOn.has(key)) {
                    if (likes.has(option)) {
                        peerOn.add(key);
                    }
                    toUs.push([likes.has(option) ? yes : no, option]);
                }
            } else if (peerOn.has(key)) {
                peerOn.delete(key);
                toUs.push([no, option]);
            }
        };
        const peerAsks = () => {
            const option = pick(options);
            if ([...toUs, ...toPeer].some(([, o]) => o === option)) {
                return;
            }
            const side = pick(['us', 'him']);
            const key = `${side}:${option}`;
            const on = !peerOn.has(key);
            if (on) {
                peerOn.add(key);
            } else {
                peerOn.delete(key);
            }
            toUs.push([side === 'us' ? (on ? WILL : WONT) : (on ? DO : DONT), option]);
        };
        let guard = 0;
        for (let step = 0; step < 40 || toUs.length + toPeer.length > 0; step++) {
            assert.ok(++guard < 1000, `seed ${seed}: negotiation does not end`);
            if (step < 40 && rnd() < 0.3) {
                us.request(pick(['us', 'him']), pick(options), rnd() < 0.6);
            }
            if (step < 40 && rnd() < 0.3) {
                peerAsks();
            }
            if (toPeer.length > 0 && rnd() < 0.7) {
                peer(...toPeer.shift());
            }
            if (toUs.length > 0 && rnd() < 0.7) {
                us.receive(...toUs.shift());
            }
        }
    }
});
