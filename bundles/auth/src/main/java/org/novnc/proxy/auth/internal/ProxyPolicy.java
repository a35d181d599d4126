package org.novnc.proxy.auth.internal;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.login.AccountException;
import javax.security.auth.login.CredentialException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import org.novnc.proxy.relay.Access;
import org.novnc.proxy.relay.AccessPolicy;
import org.novnc.proxy.relay.AccessRequest;
import org.novnc.proxy.relay.LoginOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access decisions of one proxy: the methods of its {@code auth} key tried in their order,
 * the first that finds its proof in the request decides. Passwords and tokens are never logged
 * nor put in a reason.
 */
final class ProxyPolicy implements AccessPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyPolicy.class);

  /** The settings of one proxy's policy (the auth keys of its configuration, parsed). */
  record Settings(String pid, List<String> methods, String realm, Set<String> roles, Set<String> viewRoles, long sessionSeconds,
      SessionCookies cookies, JwtChecker jwt, TargetPatterns targets, Set<String> allowedClients, String ownTarget,
      String pageUrl) {}

  /** How a login is checked: a realm, a user, a password; the roles, or an exception as {@link JaasLogins} throws. */
  interface Realm {
    JaasLogins.Result login(String realm, String user, char[] password) throws LoginException;
  }

  private final Settings s;
  private final LinkCodes links;
  private final Realm realm;
  private final Executor logins;
  private final LongSupplier epochMillis;
  private final Runnable onClose;

  ProxyPolicy(Settings settings, LinkCodes links, Realm realm, Executor logins, LongSupplier epochMillis, Runnable onClose) {
    this.s = settings;
    this.links = links;
    this.realm = realm;
    this.logins = logins;
    this.epochMillis = epochMillis;
    this.onClose = onClose;
  }

  Settings settings() {
    return s;
  }

  @Override
  public boolean acceptsLogin() {
    return s.methods().contains("login");
  }

  @Override
  public CompletionStage<Access> check(AccessRequest request, boolean consume) {
    String loginProblem = null;
    for (String method : s.methods()) {
      switch (method) {
        case "cert" -> {
          if (!request.peerCertificates().isEmpty()) {
            return done(certificate(request.peerCertificates().get(0)));
          }
        }
        case "link" -> {
          String code = request.parameter("link");
          if (code != null) {
            return done(link(code, consume));
          }
        }
        case "jwt" -> {
          String token = request.parameter("token");
          if (JwtChecker.looksLikeJwt(token)) {
            return done(jwt(token));
          }
        }
        case "login" -> {
          String value = SessionCookies.find(request.cookie());
          if (value != null) {
            SessionCookies.Login login = s.cookies().verify(value);
            if (login == null) {
              loginProblem = "Your login is not valid here; log in again.";
            } else if (login.expires() * 1000 <= epochMillis.getAsLong()) {
              loginProblem = "Your login has expired; log in again.";
            } else if (login.realm().equals(s.realm())) {
              return done(byRoles(login.user(), login.roles(), "login"));
            }
          }
          String basic = request.authorization();
          if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(basic.substring(6).trim());
          }
        }
        default -> throw new IllegalStateException("unknown method " + method); // the relay checked the key
      }
    }
    if (loginProblem != null) {
      return done(Access.refused(401, loginProblem, false, "login"));
    }
    return done(Access.refused(401, nothingOffered(), false, null));
  }

  private String nothingOffered() {
    List<String> m = s.methods();
    if (m.contains("login")) {
      return "Log in to use this proxy.";
    }
    if (m.contains("jwt")) {
      return "This proxy needs a signed token (?token=).";
    }
    if (m.contains("link")) {
      return "This proxy opens one-time links only.";
    }
    return "This proxy needs a client certificate.";
  }

  private Access certificate(X509Certificate leaf) {
    String cn = commonName(leaf);
    if (cn == null) {
      return Access.refused(403, "The client certificate has no common name (CN).", true, "cert");
    }
    if (!s.allowedClients().isEmpty() && !s.allowedClients().contains(cn)) {
      return Access.refused(403, "The client certificate of " + cn + " may not use this proxy.", true, "cert");
    }
    return Access.granted(cn, "cert", false, null);
  }

  static String commonName(X509Certificate cert) {
    try {
      List<Rdn> rdns = new ArrayList<>(new LdapName(cert.getSubjectX500Principal().getName()).getRdns());
      for (int i = rdns.size() - 1; i >= 0; i--) { // most specific first
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdns.get(i).getValue());
        }
      }
    } catch (InvalidNameException e) {
      // no CN
    }
    return null;
  }

  private Access link(String code, boolean consume) {
    Object used = links.use(code, s.pid(), consume);
    if (used instanceof LinkCodes.Refusal r) {
      return Access.refused(403, r.reason, true, "link");
    }
    LinkCodes.Link l = (LinkCodes.Link) used;
    if (!s.targets().allows(l.target())) { // allowed.targets changed since the link was issued
      return Access.refused(403, "This link's target is not allowed on this proxy any more.", false, "link");
    }
    return Access.granted(l.user(), "link", l.viewOnly(), l.target());
  }

  private Access jwt(String token) {
    if (s.jwt() == null) {
      return Access.refused(503, "This proxy cannot check tokens right now.", false, "jwt");
    }
    JwtChecker.Claims claims;
    try {
      claims = s.jwt().check(token);
    } catch (JwtChecker.Refused e) {
      return Access.refused(403, e.getMessage(), true, "jwt");
    }
    if (claims.target() == null || !s.targets().allows(claims.target())) {
      if (claims.password() != null) {
        Arrays.fill(claims.password(), '\0');
      }
      return Access.refused(403, claims.target() == null ? "The token names no target."
          : "The token's target is not allowed on this proxy (allowed.targets).", true, "jwt");
    }
    // an encrypted token's password claim: the RFB layer answers the target's authentication with it
    return Access.granted(claims.user(), "jwt", claims.viewOnly(), claims.target(), claims.password());
  }

  /** A full session for a role of {@code auth.roles}, view-only for one of {@code auth.viewonly.roles}, else 403. */
  private Access byRoles(String user, Set<String> roles, String method) {
    if (roles.stream().anyMatch(s.roles()::contains)) {
      return Access.granted(user, method, false, null);
    }
    if (roles.stream().anyMatch(s.viewRoles()::contains)) {
      return Access.granted(user, method, true, null);
    }
    return Access.refused(403, "User " + user + " may not use this proxy (no role of auth.roles).", false, method);
  }

  /** HTTP Basic from a non-browser client: a JAAS login off the event loop, on every upgrade. */
  private CompletionStage<Access> basic(String encoded) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return done(Access.refused(401, "The Authorization header cannot be read.", true, "login"));
    }
    CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw));
    char[] text = new char[decoded.remaining()];
    decoded.get(text);
    if (decoded.hasArray()) {
      Arrays.fill(decoded.array(), '\0');
    }
    Arrays.fill(raw, (byte) 0);
    int colon = -1;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon <= 0) {
      Arrays.fill(text, '\0');
      return done(Access.refused(401, "The Authorization header cannot be read.", true, "login"));
    }
    String user = new String(text, 0, colon);
    char[] password = Arrays.copyOfRange(text, colon + 1, text.length);
    Arrays.fill(text, '\0');
    return authenticate(user, password).thenApply(r -> {
      if (r.failure() != null) {
        return r.failure();
      }
      return byRoles(r.result().user(), r.result().roles(), "login");
    });
  }

  @Override
  public CompletionStage<LoginOutcome> login(String user, char[] password, String clientAddress, boolean tls) {
    char[] copy = password.clone(); // the caller clears its array when this returns
    return authenticate(user, copy).thenApply(r -> {
      if (r.failure() != null) {
        return new LoginOutcome(r.failure().status(), null, r.failure().reason(), null);
      }
      Access a = byRoles(r.result().user(), r.result().roles(), "login");
      if (!a.isGranted()) {
        return new LoginOutcome(403, null, "User " + r.result().user() + " has no role that may use this proxy.", null);
      }
      long expires = epochMillis.getAsLong() / 1000 + s.sessionSeconds();
      SessionCookies.Login login = new SessionCookies.Login(s.realm(), r.result().user(), r.result().roles(), expires);
      return new LoginOutcome(200, r.result().user(), "", s.cookies().setCookie(login, s.sessionSeconds(), tls));
    });
  }

  private record Checked(JaasLogins.Result result, Access failure) {}

  /** Asks the realm on the login executor; clears {@code password} afterwards. */
  private CompletionStage<Checked> authenticate(String user, char[] password) {
    CompletableFuture<Checked> answer = new CompletableFuture<>();
    try {
      logins.execute(() -> {
        try {
          answer.complete(new Checked(realm.login(s.realm(), user, password), null));
        } catch (FailedLoginException | AccountException | CredentialException e) {
          answer.complete(new Checked(null, Access.refused(401, "Wrong user name or password.", true, "login")));
        } catch (LoginException e) {
          LOG.error("{}: logins cannot be checked: realm '{}' (auth.realm) failed: {}", s.pid(), s.realm(), e.getMessage());
          answer.complete(new Checked(null, Access.refused(503, "Logins cannot be checked right now.", false, "login")));
        } catch (RuntimeException | Error e) {
          LOG.error("{}: logins cannot be checked: a login module of realm '{}' threw {}", s.pid(), s.realm(), e.toString());
          answer.complete(new Checked(null, Access.refused(503, "Logins cannot be checked right now.", false, "login")));
        } finally {
          Arrays.fill(password, '\0');
        }
      });
    } catch (RejectedExecutionException e) {
      Arrays.fill(password, '\0');
      answer.complete(new Checked(null, Access.refused(503, "Too many logins at once; try again in a moment.", false, "login")));
    }
    return answer;
  }

  @Override
  public String logoutCookie(boolean tls) {
    return SessionCookies.clearCookie(tls);
  }

  @Override
  public void close() {
    onClose.run();
  }

  private static CompletionStage<Access> done(Access a) {
    return CompletableFuture.completedFuture(a);
  }
}
