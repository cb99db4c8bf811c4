package io.postbus.ingress.smtp;

import io.postbus.ingress.auth.AuthFailureLimiter;
import io.postbus.ingress.auth.UserStore;
import java.util.Objects;

/** What SMTP AUTH needs: the users, and the limiter shared by every session of the server. */
public record SessionAuth(UserStore users, AuthFailureLimiter limiter) {
    public SessionAuth {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(limiter, "limiter");
    }
}
