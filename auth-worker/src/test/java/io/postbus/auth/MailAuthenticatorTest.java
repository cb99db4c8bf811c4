package io.postbus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dmarc.DmarcAction;
import io.postbus.schemas.DmarcPolicy;
import org.junit.jupiter.api.Test;

/** What the contract records as the disposition we applied, for every local-policy action. */
class MailAuthenticatorTest {
    @Test
    void appliedDispositionForEveryAction() {
        assertThat(MailAuthenticator.applied(DmarcAction.ACCEPT)).isEqualTo(DmarcPolicy.NONE);
        assertThat(MailAuthenticator.applied(DmarcAction.SPAM_FLAG)).as("the spam-worker flags these").isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(MailAuthenticator.applied(DmarcAction.QUARANTINE)).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(MailAuthenticator.applied(DmarcAction.REJECT)).as("never a bounce: held instead").isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(MailAuthenticator.applied(DmarcAction.DISCARD)).isEqualTo(DmarcPolicy.REJECT);
        assertThat(DmarcAction.values()).hasSize(5);
    }
}
