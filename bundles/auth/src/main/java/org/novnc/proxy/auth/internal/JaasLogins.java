package org.novnc.proxy.auth.internal;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/** A user name and password checked against a Karaf JAAS realm; the roles the realm gives. */
final class JaasLogins {
  private JaasLogins() {}

  /** Who logged in and with which roles. */
  record Result(String user, Set<String> roles) {}

  /**
   * Logs in to {@code realm} (and out again: only the roles are kept).
   *
   * @throws javax.security.auth.login.FailedLoginException wrong user name or password
   * @throws LoginException the realm does not exist or cannot answer
   */
  static Result login(String realm, String user, char[] password) throws LoginException {
    Subject subject = new Subject();
    LoginContext context = new LoginContext(realm, subject, callbacks -> {
      for (var c : callbacks) {
        if (c instanceof NameCallback n) {
          n.setName(user);
        } else if (c instanceof PasswordCallback p) {
          p.setPassword(password);
        } else {
          throw new UnsupportedCallbackException(c, "only a user name and a password are known here");
        }
      }
    });
    context.login();
    try {
      String name = user;
      Set<String> roles = new LinkedHashSet<>();
      for (Principal p : subject.getPrincipals()) {
        if (p instanceof RolePrincipal) {
          roles.add(p.getName());
        } else if (p instanceof UserPrincipal) {
          name = p.getName();
        }
      }
      return new Result(name, Set.copyOf(roles));
    } finally {
      try {
        context.logout();
      } catch (LoginException e) {
        // the subject is dropped anyway
      }
    }
  }
}
