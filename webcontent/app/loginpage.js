// login.html: the relay's login on a page of its own. The form posts to
// "login" next to this page (the relay's /login); once logged in, the page
// goes on to ?next= (a page of this site, see nextPage) or to vnc.html.
import { pageParams } from './url.js';
import { takeSecrets } from './guard.js';
import { icon } from './icons.js';
import { LoginPanel, nextPage } from './login.js';
import { ProxyAuth } from './proxyauth.js';

const secrets = takeSecrets(window);   // first: a password in the address leaves it at once, unused
const params = pageParams(window.location.search, window.location.hash);
const next = nextPage(params.get('next'), window.location.href);
const $ = (id) => document.getElementById(id);

$('login-logo').innerHTML = icon('monitor');
$('login-user').value = secrets.username ?? '';
const status = $('login-status');
const panel = new LoginPanel({
    form: $('login-form'), username: $('login-user'), password: $('login-password'), message: $('login-message'),
    submit: $('login-submit'),
}, {
    auth: new ProxyAuth(),
    onlogin: (user) => {
        status.textContent = `Logged in as ${user}. Opening ${new URL(next).pathname.split('/').pop() || 'the page'}…`;
        window.location.replace(next);
    },
});
panel.open(new URL('login', window.location.href).href);
window.loginPage = { panel, next };   // for the console and end-to-end tests
