package org.novnc.proxy.auth.internal.shell;

import java.time.Duration;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.novnc.proxy.auth.ConsoleLinks;

/** {@code novnc:link PROXY [TARGET]}: a one-time console link, as another bundle gets from {@link ConsoleLinks}. */
@Service
@Command(scope = "novnc", name = "link", description = "Issues a one-time link that opens one console session on a proxy with auth = link.")
public final class LinkCommand implements Action {
  @Reference
  private ConsoleLinks links;

  @Argument(index = 0, name = "proxy", required = true, description = "The proxy: its PID or the name after org.novnc.proxy.relay~ (or -)")
  private String proxy;

  @Argument(index = 1, name = "target", required = false,
      description = "host:port or unix:/path the session goes to (must match allowed.targets); default: the proxy's own target")
  private String target;

  @Option(name = "--ttl", description = "Seconds the link may be used to open the session (default 60, at most a day)")
  private long ttl = ConsoleLinks.DEFAULT_TTL.toSeconds();

  @Option(name = "--view-only", description = "The session is view-only")
  private boolean viewOnly;

  @Option(name = "--user", description = "Who the session is for, as log lines and audit events show it (default: the shell's user)")
  private String user;

  @Override
  public Object execute() {
    String who = user != null ? user : System.getProperty("user.name");
    try {
      System.out.println(links.issue(proxy, target, Duration.ofSeconds(ttl), viewOnly, who));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("Error: " + e.getMessage());
    }
    return null;
  }
}
