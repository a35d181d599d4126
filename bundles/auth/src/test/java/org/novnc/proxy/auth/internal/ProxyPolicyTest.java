package org.novnc.proxy.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import org.junit.jupiter.api.Test;
import org.novnc.proxy.relay.Access;
import org.novnc.proxy.relay.AccessRequest;
import org.novnc.proxy.relay.LoginOutcome;

/** The decisions of one proxy's policy, with a realm of two users standing in for JAAS. */
class ProxyPolicyTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final AtomicLong nanos = new AtomicLong();
  private final LinkCodes links = new LinkCodes(nanos::get);
  private final SessionCookies cookies = new SessionCookies(KEY);
  private final List<char[]> passwordsSeen = new ArrayList<>();

  private JaasLogins.Result realm(String realm, String user, char[] password) throws LoginException {
    passwordsSeen.add(password);
    if (!realm.equals("karaf")) {
      throw new LoginException("No LoginModules configured for " + realm);
    }
    if (user.equals("alice") && new String(password).equals("right")) {
      return new JaasLogins.Result("alice", Set.of("novnc"));
    }
    if (user.equals("vic") && new String(password).equals("right")) {
      return new JaasLogins.Result("vic", Set.of("viewer"));
    }
    if (user.equals("eve") && new String(password).equals("right")) {
      return new JaasLogins.Result("eve", Set.of("other"));
    }
    throw new FailedLoginException("Password does not match");
  }

  private ProxyPolicy policy(String realmName, String... methods) {
    ProxyPolicy.Settings s = new ProxyPolicy.Settings("org.novnc.proxy.relay~p", List.of(methods), realmName, Set.of("admin", "novnc"),
        Set.of("viewer"), 3600, cookies, null, TargetPatterns.parse("10.0.0.0/8:5900-5999", t -> false), Set.of(), null,
        "http://h:1/");
    return new ProxyPolicy(s, links, this::realm, Runnable::run, now::get, () -> {});
  }

  private static AccessRequest request(String cookie, String authorization, Map<String, List<String>> query) {
    return new AccessRequest("192.0.2.1", false, List.of(), cookie, authorization, query);
  }

  private static Access answer(java.util.concurrent.CompletionStage<Access> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void nothingOfferedIsRefusedWith401() {
    Access a = answer(policy("karaf", "login").check(request(null, null, Map.of()), true));
    assertFalse(a.isGranted());
    assertEquals(401, a.status());
    assertEquals("Log in to use this proxy.", a.reason());
  }

  @Test
  void aLoginSetsACookieThatOpensSessions() {
    ProxyPolicy p = policy("karaf", "login");
    LoginOutcome o = p.login("alice", "right".toCharArray(), "192.0.2.1", false).toCompletableFuture().join();
    assertTrue(o.ok());
    assertTrue(o.setCookie().startsWith("novnc_session="));
    String cookie = o.setCookie().substring(0, o.setCookie().indexOf(';'));
    Access a = answer(p.check(request("x=1; " + cookie, null, Map.of()), true));
    assertTrue(a.isGranted());
    assertEquals("alice", a.user());
    assertEquals("login", a.method());
    assertFalse(a.viewOnly());
    assertNull(a.target());
    assertTrue(passwordsSeen.stream().allMatch(pw -> new String(pw).chars().allMatch(c -> c == 0)), "password arrays cleared");
  }

  @Test
  void wrongPasswordsAreRefusedAndCountAsFailures() {
    LoginOutcome o = policy("karaf", "login").login("alice", "wrong".toCharArray(), "192.0.2.1", false).toCompletableFuture().join();
    assertEquals(401, o.status());
    assertEquals("Wrong user name or password.", o.reason());
    assertNull(o.setCookie());
  }

  @Test
  void aMissingRealmRefusesNeverOpens() {
    LoginOutcome o = policy("nosuch", "login").login("alice", "right".toCharArray(), "192.0.2.1", false).toCompletableFuture().join();
    assertEquals(503, o.status());
    String basic = "Basic " + Base64.getEncoder().encodeToString("alice:right".getBytes(StandardCharsets.UTF_8));
    Access a = answer(policy("nosuch", "login").check(request(null, basic, Map.of()), true));
    assertFalse(a.isGranted());
    assertEquals(503, a.status());
  }

  @Test
  void rolesDecideFullViewOnlyOrNothing() {
    ProxyPolicy p = policy("karaf", "login");
    assertEquals(403, p.login("eve", "right".toCharArray(), "a", false).toCompletableFuture().join().status());
    LoginOutcome vic = p.login("vic", "right".toCharArray(), "a", false).toCompletableFuture().join();
    Access a = answer(p.check(request(vic.setCookie().split(";")[0], null, Map.of()), true));
    assertTrue(a.isGranted() && a.viewOnly());
    String eveCookie = "novnc_session=" + cookies.sign(new SessionCookies.Login("karaf", "eve", Set.of("other"), 1_900_000_000L));
    Access e = answer(p.check(request(eveCookie, null, Map.of()), true));
    assertEquals(403, e.status());
  }

  @Test
  void tamperedExpiredOrForeignRealmCookiesAskForALogin() {
    ProxyPolicy p = policy("karaf", "login");
    String good = cookies.sign(new SessionCookies.Login("karaf", "alice", Set.of("novnc"), 1_900_000_000L));
    String tampered = good.replaceFirst("\\.[^.]+\\.", "." + Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes()) + ".");
    Access t = answer(p.check(request("novnc_session=" + tampered, null, Map.of()), true));
    assertEquals(401, t.status());
    assertEquals("Your login is not valid here; log in again.", t.reason());
    String expired = cookies.sign(new SessionCookies.Login("karaf", "alice", Set.of("novnc"), now.get() / 1000 - 1));
    Access x = answer(p.check(request("novnc_session=" + expired, null, Map.of()), true));
    assertEquals("Your login has expired; log in again.", x.reason());
    String foreign = cookies.sign(new SessionCookies.Login("ldap", "alice", Set.of("novnc"), 1_900_000_000L));
    assertEquals(401, answer(p.check(request("novnc_session=" + foreign, null, Map.of()), true)).status());
  }

  @Test
  void basicAuthForNonBrowserClients() {
    ProxyPolicy p = policy("karaf", "login");
    String right = "Basic " + Base64.getEncoder().encodeToString("alice:right".getBytes(StandardCharsets.UTF_8));
    assertTrue(answer(p.check(request(null, right, Map.of()), true)).isGranted());
    String wrong = "Basic " + Base64.getEncoder().encodeToString("alice:nope".getBytes(StandardCharsets.UTF_8));
    Access a = answer(p.check(request(null, wrong, Map.of()), true));
    assertEquals(401, a.status());
    assertTrue(a.failure());
    assertEquals(401, answer(p.check(request(null, "Basic !!!", Map.of()), true)).status());
  }

  @Test
  void aLinkWorksOnceAndOnlyOnItsProxy() {
    ProxyPolicy p = policy("karaf", "link");
    String code = links.issue(new LinkCodes.Link("org.novnc.proxy.relay~p", "10.0.0.9:5901", true, "bob", 1_000));
    Map<String, List<String>> q = Map.of("link", List.of(code));
    Access peek = answer(p.check(request(null, null, q), false));
    assertTrue(peek.isGranted(), "a check spends nothing");
    Access first = answer(p.check(request(null, null, q), true));
    assertTrue(first.isGranted());
    assertEquals("bob", first.user());
    assertEquals("10.0.0.9:5901", first.target());
    assertTrue(first.viewOnly());
    Access second = answer(p.check(request(null, null, q), true));
    assertEquals(403, second.status());
    assertEquals("This link is not valid (unknown or already used).", second.reason());
    String other = links.issue(new LinkCodes.Link("org.novnc.proxy.relay~q", "10.0.0.9:5901", false, "bob", 1_000));
    assertEquals(403, answer(p.check(request(null, null, Map.of("link", List.of(other))), true)).status());
  }

  @Test
  void anExpiredLinkIsRefused() {
    ProxyPolicy p = policy("karaf", "link");
    String code = links.issue(new LinkCodes.Link("org.novnc.proxy.relay~p", "10.0.0.9:5901", false, "bob", 1_000));
    nanos.set(2_000);
    Access a = answer(p.check(request(null, null, Map.of("link", List.of(code))), true));
    assertEquals("This link has expired.", a.reason());
  }

  @Test
  void methodsAreTriedInTheirOrder() {
    ProxyPolicy p = policy("karaf", "link", "login");
    Access a = answer(p.check(request(null, null, Map.of("link", List.of("nope"))), true));
    assertEquals("link", a.method());
    assertEquals(403, a.status());
  }
}
