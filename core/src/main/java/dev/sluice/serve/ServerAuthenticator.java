package dev.sluice.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.AuthUtilities;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.GeneratedBearerTokenAuthenticator;

/**
 * Who calls the server: a user of the users file by basic authentication (answered with a bearer token for the
 * calls that follow), or the holder of the server's own bearer token. A server with neither users nor token (only
 * allowed on loopback) lets every caller in. Thread-safe.
 */
final class ServerAuthenticator implements CallHeaderAuthenticator {
    /** The identity of the server token's holder; not a user name a users file can hold (it has angle brackets). */
    static final String TOKEN_HOLDER = "<token>";
    static final String ANONYMOUS = "<anonymous>";

    private final Users users;
    private final String token;
    private final CallHeaderAuthenticator basic;

    ServerAuthenticator(Users users, String token) {
        this.users = users;
        this.token = token;
        this.basic = new GeneratedBearerTokenAuthenticator(new BasicCallHeaderAuthenticator(this::validate));
    }

    /** Whether the server asks callers for credentials at all. */
    boolean open() {
        return users.isEmpty() && token == null;
    }

    @Override
    public AuthResult authenticate(CallHeaders headers) {
        if (open()) {
            return () -> ANONYMOUS;
        }
        String header = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
        if (header == null) {
            throw CallStatus.UNAUTHENTICATED.withDescription("Cannot serve the call: the server requires a user name "
                    + "and password (basic) or a bearer token; pass them (the CLI reads SLUICE_USER and SLUICE_PASSWORD, "
                    + "or SLUICE_TOKEN)").toRuntimeException();
        }
        String bearer = AuthUtilities.getValueFromAuthHeader(headers, Auth2Constants.BEARER_PREFIX);
        if (token != null && bearer != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                bearer.getBytes(StandardCharsets.UTF_8))) {
            return () -> TOKEN_HOLDER;
        }
        if (bearer != null && users.isEmpty()) {
            throw CallStatus.UNAUTHENTICATED.withDescription("Cannot serve the call: the bearer token is wrong; pass "
                    + "the token the server was started with (--token)").toRuntimeException();
        }
        return basic.authenticate(headers);
    }

    private AuthResult validate(String user, String password) {
        boolean accepted = users.account(user).map(account -> account.accepts(password)).orElse(false);
        if (!accepted) {
            throw CallStatus.UNAUTHENTICATED.withDescription("Cannot authenticate user '" + user + "': wrong user name "
                    + "or password; check the credentials against the server's users file").toRuntimeException();
        }
        return () -> user;
    }

    /** What the caller named {@code identity} (a peer identity this authenticator gave) may do. */
    Set<Permission> permissions(String identity) {
        if (ANONYMOUS.equals(identity) || TOKEN_HOLDER.equals(identity)) {
            return EnumSet.allOf(Permission.class);
        }
        return users.account(identity).map(Users.Account::permissions).orElse(Set.of());
    }
}
