package dev.sluice.serve;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes of the users file: PBKDF2 with HMAC-SHA256 from the JDK, written
 * {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. Stateless.
 */
final class PasswordHash {
    static final String PREFIX = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** A new hash of {@code password} with a random salt. */
    static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return PREFIX + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches {@code hash}, compared in constant time. */
    static boolean matches(String password, String hash) {
        String[] parts = hash.split(":");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
    }

    /** Whether {@code text} has the form of a hash this class writes. */
    static boolean valid(String text) {
        String[] parts = text.split(":");
        if (parts.length != 4 || !parts[0].equals(PREFIX) || !parts[1].matches("[1-9][0-9]{0,8}")) {
            return false;
        }
        try {
            Base64.getDecoder().decode(parts[2]);
            Base64.getDecoder().decode(parts[3]);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot hash a password: %s", e.getMessage());
        } finally {
            spec.clearPassword();
        }
    }
}
