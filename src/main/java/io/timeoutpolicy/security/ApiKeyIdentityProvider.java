package io.timeoutpolicy.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a presented key against the configured SHA-256 hashes. Every configured hash is compared, in
 * constant time, whatever matched before: how long a check takes says nothing about which key is close.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private record KnownKey(String name, byte[] hash, List<String> roles) {
    }

    private final List<KnownKey> keys;

    ApiKeyIdentityProvider(SecurityConfig config) {
        this.keys = config.keys().entrySet().stream().map(ApiKeyIdentityProvider::known).toList();
    }

    private static KnownKey known(Map.Entry<String, SecurityConfig.ApiKey> entry) {
        byte[] hash = HexFormat.of().parseHex(entry.getValue().sha256().trim().toLowerCase(Locale.ROOT));
        return new KnownKey(entry.getKey(), hash, List.copyOf(entry.getValue().roles()));
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request,
            AuthenticationRequestContext context) {
        byte[] presented = sha256(request.key());
        KnownKey match = null;
        for (KnownKey key : keys) {
            if (MessageDigest.isEqual(key.hash(), presented) && match == null) {
                match = key;
            }
        }
        if (match == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("Unknown API key"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(match.name()))
                .addRoles(Set.copyOf(match.roles()))
                .build());
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
