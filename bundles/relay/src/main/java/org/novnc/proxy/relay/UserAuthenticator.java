package org.novnc.proxy.relay;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.novnc.proxy.codec.config.InvalidConfigException;

/**
 * Decides who may open sessions on proxies whose {@code auth} key names methods; published by the
 * auth bundle. A relay asks for one {@link AccessPolicy} per configuration it applies and asks
 * that policy about every WebSocket upgrade, login and {@code /auth/check}. A relay whose
 * {@code auth} is set while no authenticator is registered refuses every session (503): a missing
 * bundle never opens the door.
 */
public interface UserAuthenticator {
  /**
   * The policy of one proxy.
   *
   * @param pid the proxy's configuration PID
   * @param methods the methods of its {@code auth} key, lower case, in their order
   * @param properties the proxy's whole configuration (the authenticator reads its own keys from
   *     it: {@code auth.realm}, {@code jwt.key}, {@code allowed.targets} ...)
   * @param namedTarget whether a {@code host:port} or {@code unix:/path} is one of the targets the
   *     configuration itself names ({@code target}, {@code tokens}, {@code token.file}); the
   *     default of {@code allowed.targets}
   * @throws InvalidConfigException when one of the authenticator's keys cannot work
   */
  AccessPolicy policy(String pid, List<String> methods, Map<String, ?> properties, Predicate<String> namedTarget)
      throws InvalidConfigException;
}
