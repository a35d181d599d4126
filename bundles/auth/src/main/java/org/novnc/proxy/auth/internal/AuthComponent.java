package org.novnc.proxy.auth.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.novnc.proxy.auth.ConsoleLinks;
import org.novnc.proxy.codec.config.ConfigKeys;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.novnc.proxy.relay.AccessPolicy;
import org.novnc.proxy.relay.UserAuthenticator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticator of every proxy with {@code auth}, and the {@link ConsoleLinks} service. Logins
 * run on a small pool of their own (a JAAS realm may be slow: an LDAP server, a database), never
 * on the relay's event loops. The cookie key is generated once per installation under Karaf's
 * {@code data/} (or read from {@code auth.key.file}).
 */
@Component(service = {UserAuthenticator.class, ConsoleLinks.class}, immediate = true)
public final class AuthComponent implements UserAuthenticator, ConsoleLinks {
  private static final Logger LOG = LoggerFactory.getLogger(AuthComponent.class);
  static final Duration MAX_TTL = Duration.ofDays(1);
  private static final int LOGIN_THREADS = 2;
  private static final int LOGIN_QUEUE = 256;

  private final ThreadPoolExecutor logins;
  private final LinkCodes links = new LinkCodes(System::nanoTime);
  private final Map<String, ProxyPolicy> policies = new ConcurrentHashMap<>();
  private final Path defaultKeyFile;
  private SessionCookies defaultCookies;

  @Activate
  public AuthComponent(BundleContext context) {
    this(defaultKeyFile(context));
  }

  AuthComponent(Path defaultKeyFile) {
    this.defaultKeyFile = defaultKeyFile;
    AtomicInteger n = new AtomicInteger();
    this.logins = new ThreadPoolExecutor(LOGIN_THREADS, LOGIN_THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(LOGIN_QUEUE), r -> {
      Thread t = new Thread(r, "novnc-proxy-login-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    logins.allowCoreThreadTimeOut(true);
  }

  private static Path defaultKeyFile(BundleContext context) {
    String data = System.getProperty("karaf.data");
    return data != null ? Path.of(data, "novnc-proxy", "auth.key") : context.getDataFile("auth.key").toPath();
  }

  @Deactivate
  void deactivate() {
    logins.shutdownNow();
  }

  @Override
  public AccessPolicy policy(String pid, List<String> methods, Map<String, ?> properties, Predicate<String> namedTarget)
      throws InvalidConfigException {
    ConfigKeys keys = new ConfigKeys(properties);
    String realm = keys.text("auth.realm", () -> "karaf").trim();
    if (realm.isEmpty()) {
      throw new InvalidConfigException("auth.realm", "", "is empty; name a JAAS realm such as karaf");
    }
    Set<String> roles = list(keys.text("auth.roles", () -> "admin,novnc"));
    Set<String> viewRoles = list(keys.text("auth.viewonly.roles", () -> "viewer"));
    long session = keys.number("auth.session.timeout", 60, 366L * 24 * 3600, () -> 8 * 3600);
    String keyFile = keys.text("auth.key.file", () -> "");
    SessionCookies cookies = keyFile.isBlank() ? defaultCookies() : cookies(keyFile);
    JwtChecker jwt = null;
    String jwtKey = keys.text("jwt.key", () -> "");
    String decryptKey = keys.text("jwt.decrypt.key", () -> "");
    if (methods.contains("jwt")) {
      if (jwtKey.isBlank()) {
        throw new InvalidConfigException("auth", String.join(",", methods), "names jwt, which needs jwt.key (the file of the key that verifies tokens)");
      }
      jwt = jwt(jwtKey, decryptKey, keys.text("jwt.issuer", () -> ""), keys.text("jwt.audience", () -> ""));
    }
    String targetsText = keys.text("allowed.targets", () -> "");
    TargetPatterns targets;
    try {
      targets = TargetPatterns.parse(targetsText, namedTarget);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("allowed.targets", targetsText, e.getMessage());
    }
    Set<String> clients = list(keys.text("allowed.clients", () -> ""));
    String ownTarget = keys.text("target", () -> "").trim();
    String pageUrl = pageUrl(keys);
    ProxyPolicy.Settings settings = new ProxyPolicy.Settings(pid, List.copyOf(methods), realm, roles, viewRoles, session, cookies,
        jwt, targets, clients, ownTarget.isEmpty() || ownTarget.startsWith("wrapper:") ? null : ownTarget, pageUrl);
    ProxyPolicy[] self = new ProxyPolicy[1];
    ProxyPolicy policy = new ProxyPolicy(settings, links, JaasLogins::login, logins, System::currentTimeMillis,
        () -> policies.remove(pid, self[0]));
    self[0] = policy;
    policies.put(pid, policy);
    LOG.info("{}: access by {}{}", pid, String.join(", ", methods),
        methods.contains("login") ? " (realm " + realm + ", roles " + roles + ", view-only roles " + viewRoles + ")" : "");
    return policy;
  }

  private static JwtChecker jwt(String keyFile, String decryptFile, String issuer, String audience) throws InvalidConfigException {
    Path key = Path.of(keyFile.trim());
    Path decrypt = decryptFile.isBlank() ? null : Path.of(decryptFile.trim());
    try {
      return JwtChecker.of(key, decrypt, issuer, audience, System::currentTimeMillis);
    } catch (IOException e) {
      boolean which = decrypt != null && e.getMessage() != null && e.getMessage().contains(decrypt.toString());
      throw new InvalidConfigException(which ? "jwt.decrypt.key" : "jwt.key", which ? decryptFile : keyFile, "cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // which file: try the verification key alone
      try {
        JwtChecker.verificationKeys(Files.readAllBytes(key));
      } catch (IllegalArgumentException | IOException k) {
        throw new InvalidConfigException("jwt.key", keyFile, e.getMessage());
      }
      throw new InvalidConfigException("jwt.decrypt.key", decryptFile, e.getMessage());
    }
  }

  /** Where one-time links send browsers: {@code public.url}, or this host and the listen port when the proxy serves pages. */
  private static String pageUrl(ConfigKeys keys) throws InvalidConfigException {
    String url = keys.text("public.url", () -> "").trim();
    if (!url.isEmpty()) {
      if (!url.matches("https?://[^/?#]+(/[^?#]*)?")) {
        throw new InvalidConfigException("public.url", url, "is not an http:// or https:// URL without query");
      }
      return url.endsWith("/") ? url : url + "/";
    }
    String web = keys.text("web", () -> "").trim();
    if (web.isEmpty() || web.equalsIgnoreCase("false")) {
      return null;
    }
    String listen = keys.text("listen", () -> "").trim();
    int colon = listen.lastIndexOf(':');
    String host = colon > 0 ? listen.substring(0, colon) : "";
    String port = colon >= 0 ? listen.substring(colon + 1) : listen;
    if (host.isEmpty() || host.equals("*") || host.equals("0.0.0.0") || host.equals("[::]")) {
      try {
        host = InetAddress.getLocalHost().getCanonicalHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
    }
    boolean tls = !keys.text("cert", () -> "").isBlank();
    return (tls ? "https://" : "http://") + host + ":" + port + "/";
  }

  private synchronized SessionCookies defaultCookies() throws InvalidConfigException {
    if (defaultCookies == null) {
      try {
        defaultCookies = new SessionCookies(readOrCreateKey(defaultKeyFile));
      } catch (IOException e) {
        throw new InvalidConfigException("auth.key.file", "", "is empty and the installation's key " + defaultKeyFile
            + " cannot be made: " + e.getMessage());
      }
    }
    return defaultCookies;
  }

  private static SessionCookies cookies(String keyFile) throws InvalidConfigException {
    try {
      byte[] key = Files.readAllBytes(Path.of(keyFile.trim()));
      if (key.length < 32) {
        throw new InvalidConfigException("auth.key.file", keyFile, "holds " + key.length + " bytes; a cookie key needs at least 32");
      }
      return new SessionCookies(key);
    } catch (IOException e) {
      throw new InvalidConfigException("auth.key.file", keyFile, "cannot be read: " + e.getMessage());
    }
  }

  /** 32 random bytes, written once with owner-only permissions; read ever after. */
  static byte[] readOrCreateKey(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] key = Files.readAllBytes(file);
      if (key.length >= 32) {
        return key;
      }
      throw new IOException(file + " holds " + key.length + " bytes, fewer than 32");
    }
    Files.createDirectories(file.getParent());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path tmp = Files.createTempFile(file.getParent(), ".auth", ".key", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, key, StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
      return Files.readAllBytes(file);
    }
    LOG.info("login cookies are signed with a new key in {}", file);
    return key;
  }

  private static Set<String> list(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return Set.copyOf(out);
  }

  @Override
  public String issue(String proxy, String target, Duration ttl, boolean viewOnly, String user) {
    ProxyPolicy policy = find(proxy);
    ProxyPolicy.Settings s = policy.settings();
    if (!s.methods().contains("link")) {
      throw new IllegalArgumentException("proxy " + s.pid() + " does not accept one-time links (its auth does not name link)");
    }
    String t = target == null || target.isBlank() ? s.ownTarget() : target.trim();
    if (t == null) {
      throw new IllegalArgumentException("proxy " + s.pid() + " has no target of its own; name one");
    }
    if (!s.targets().allows(t)) {
      throw new IllegalArgumentException("target " + t + " is not allowed on proxy " + s.pid() + " (allowed.targets)");
    }
    Duration life = ttl == null ? DEFAULT_TTL : ttl;
    if (life.isNegative() || life.isZero() || life.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl " + life + " is not between 0 and " + MAX_TTL);
    }
    if (s.pageUrl() == null) {
      throw new IllegalArgumentException("proxy " + s.pid() + " serves no pages (web) and has no public.url for its links");
    }
    String code = links.issue(new LinkCodes.Link(s.pid(), t, viewOnly, user, System.nanoTime() + life.toNanos()));
    LOG.info("{}: one-time link issued for {} to {}{}, valid {} s", s.pid(), user, t, viewOnly ? " (view-only)" : "", life.toSeconds());
    return s.pageUrl() + "vnc.html?autoconnect=true&path=" + URLEncoder.encode("websockify?link=" + code, StandardCharsets.UTF_8);
  }

  /** The policy of {@code proxy}: a PID, or the name after the factory PID ({@code ~name}, {@code -name}). */
  private ProxyPolicy find(String proxy) {
    if (proxy == null || proxy.isBlank()) {
      throw new IllegalArgumentException("no proxy named");
    }
    ProxyPolicy exact = policies.get(proxy);
    if (exact != null) {
      return exact;
    }
    String p = proxy.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, ProxyPolicy> e : policies.entrySet()) {
      String pid = e.getKey().toLowerCase(Locale.ROOT);
      if (pid.endsWith("~" + p) || pid.endsWith("-" + p) || pid.endsWith("." + p)) {
        return e.getValue();
      }
    }
    throw new IllegalArgumentException("no proxy " + proxy + " with auth (proxies with auth: " + policies.keySet() + ")");
  }
}
