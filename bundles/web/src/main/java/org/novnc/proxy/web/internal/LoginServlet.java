package org.novnc.proxy.web.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.novnc.proxy.relay.AccessPolicy;
import org.novnc.proxy.relay.FailureLimiter;
import org.novnc.proxy.relay.LoginOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST <context>/login} and {@code <context>/logout} on Karaf's HTTP port, for
 * {@code login.html}: the same login as a relay's {@code /login} (the auth bundle's policy for the
 * {@code org.novnc.proxy.web} configuration), so the cookie it sets is good for every relay of this
 * host whose realm and key match. Failed logins are limited per client address.
 */
final class LoginServlet {
  private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);
  static final int MAX_FORM = 4096;
  private static final long ANSWER_SECONDS = 15;

  private final Supplier<AccessPolicy> policy;
  private final FailureLimiter failures = new FailureLimiter();
  private volatile int maxFailures = 5;

  LoginServlet(Supplier<AccessPolicy> policy) {
    this.policy = policy;
  }

  void maxFailures(int max) {
    maxFailures = max;
  }

  /** Answers {@code rest} ({@code /login} or {@code /logout}); false when it is neither. */
  boolean post(String rest, HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!rest.equals("/login") && !rest.equals("/logout")) {
      return false;
    }
    response.setHeader("Cache-Control", "no-store");
    String origin = request.getHeader("Origin");
    if (origin != null && !sameHost(origin, request.getServerName())) {
      json(response, 403, "{\"ok\":false,\"reason\":\"Origin " + text(origin) + " may not log in here.\"}");
      return true;
    }
    AccessPolicy p = policy.get();
    if (p == null) {
      json(response, 503, "{\"ok\":false,\"reason\":\"Logins cannot be checked right now (the auth bundle is not running).\"}");
      return true;
    }
    if (rest.equals("/logout")) {
      response.addHeader("Set-Cookie", p.logoutCookie(request.isSecure()));
      json(response, 200, "{\"ok\":true}");
      return true;
    }
    String address = request.getRemoteAddr();
    long wait = failures.blockedSeconds(address, maxFailures);
    if (wait > 0) {
      response.setHeader("Retry-After", Long.toString(wait));
      json(response, 429, "{\"ok\":false,\"reason\":\"Too many failed attempts from this address; try again later.\",\"retryAfter\":" + wait + "}");
      return true;
    }
    if (request.getContentLength() < 0 || request.getContentLength() > MAX_FORM) {
      json(response, 400, "{\"ok\":false,\"reason\":\"A form here is sent with Content-Length and holds at most " + MAX_FORM + " bytes.\"}");
      return true;
    }
    String user = request.getParameter("username");
    String password = request.getParameter("password");
    if (user == null || user.isEmpty() || password == null) {
      json(response, 400, "{\"ok\":false,\"reason\":\"The form needs username and password.\"}");
      return true;
    }
    char[] secret = password.toCharArray();
    LoginOutcome o;
    try {
      o = p.login(user, secret, address, request.isSecure()).toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      o = null;
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("org.novnc.proxy.web: a login from {} could not be checked: {}", address, e.toString());
      o = null;
    } finally {
      Arrays.fill(secret, '\0');
    }
    if (o == null) {
      json(response, 503, "{\"ok\":false,\"reason\":\"Logins cannot be checked right now.\"}");
    } else if (!o.ok()) {
      if (o.status() == 401 && failures.failed(address)) {
        LOG.warn("org.novnc.proxy.web: failed login from {} ({} failures this minute)", address, failures.failures(address));
      }
      json(response, o.status(), "{\"ok\":false,\"reason\":\"" + text(o.reason()) + "\"}");
    } else {
      LOG.info("org.novnc.proxy.web: {} logged in from {}", o.user(), address);
      response.addHeader("Set-Cookie", o.setCookie());
      json(response, 200, "{\"ok\":true,\"user\":\"" + text(o.user()) + "\"}");
    }
    return true;
  }

  private static boolean sameHost(String origin, String host) {
    try {
      String h = new URI(origin).getHost();
      return h != null && h.equalsIgnoreCase(host);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static void json(HttpServletResponse response, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** {@code s} inside a JSON string: quotes, backslashes and control characters escaped. */
  private static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
