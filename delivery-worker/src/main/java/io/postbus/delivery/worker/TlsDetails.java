package io.postbus.delivery.worker;

import io.postbus.delivery.mtasts.StsPolicy;
import io.postbus.delivery.route.HostTls;
import io.postbus.delivery.route.TlsPlan;
import io.postbus.delivery.smtp.PeerVerification;
import io.postbus.delivery.smtp.TlsInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The TLS sentence of a delivery's event detail: policy, certificate check, MTA-STS testing notes. */
final class TlsDetails {
    private TlsDetails() {}

    /**
     * "TLS policy may (default); TLSv1.3 TLS_AES_128_GCM_SHA256, peer CN=mx.example.com verified".
     * Under an MTA-STS policy in testing mode, also what enforce mode would have refused (RFC 8461 §5:
     * testing delivers as usual; the failure is for reporting only).
     */
    static String delivered(TlsPlan.Use use, String mxHost, Optional<TlsInfo> tls) {
        return delivered(use, null, mxHost, tls);
    }

    /**
     * As above, with what the host's own TLS decision added (DANE levels): "TLS policy dane (default);
     * DANE TLSA _25._tcp.mx.example.com (1 usable); TLSv1.3 …, peer CN=mx.example.com verified by
     * DANE DANE-EE(3) SPKI(1) SHA2-256(1) 8cb0fc6c527506a0…".
     */
    static String delivered(TlsPlan.Use use, HostTls.Connect host, String mxHost, Optional<TlsInfo> tls) {
        StringBuilder s = new StringBuilder(use.describe()).append("; ");
        if (host != null && !host.note().isEmpty()) {
            s.append(host.note()).append("; ");
        }
        s.append(tls.map(TlsInfo::summary).orElse("plain text"));
        Optional<StsPolicy> testing = use.stsPolicy(StsPolicy.Mode.TESTING);
        if (testing.isPresent()) {
            List<String> problems = new ArrayList<>();
            if (!testing.get().allows(mxHost)) {
                problems.add("MX host " + mxHost + " is not in the policy");
            }
            if (tls.isEmpty()) {
                problems.add("no TLS");
            } else if (tls.get().verification() != PeerVerification.VERIFIED) {
                problems.add("certificate " + tls.get().verification().name().toLowerCase(java.util.Locale.ROOT));
            }
            s.append(problems.isEmpty() ? "; MTA-STS testing: enforce would have delivered too"
                    : "; MTA-STS testing: enforce would have refused: " + String.join(", ", problems));
        }
        return s.toString();
    }
}
