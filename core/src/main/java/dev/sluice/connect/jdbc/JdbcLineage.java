package dev.sluice.connect.jdbc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Names a JDBC source's dataset as OpenLineage's naming specification does: namespace {@code postgres://host:port}
 * (the scheme of the URL, its host and port, the default port filled in), name {@code database.schema.table}. The URI
 * joins both ({@code postgres://host:5432/db.public.orders}); credentials and options of the URL are left out.
 */
final class JdbcLineage {
    private JdbcLineage() {
    }

    /** The dataset's namespace and name as one URI: the namespace is its scheme and authority, the name its path. */
    static URI dataset(JdbcSpec spec) {
        URI url = JdbcDatabase.uri(spec.url());
        String scheme = url == null || url.getScheme() == null ? "jdbc" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean postgres = scheme.equals("postgresql");
        String database = url == null || url.getPath() == null ? "" : url.getPath().replaceFirst("^/", "");
        String name = spec.table() == null ? database
                : database + (database.isEmpty() ? "" : ".") + (postgres && !spec.table().contains(".")
                        ? "public." + spec.table() : spec.table());
        try {
            if (url == null || url.getHost() == null) {
                return new URI(scheme, null, "/" + name, null);
            }
            int port = url.getPort() >= 0 ? url.getPort() : postgres ? 5432 : -1;
            return new URI(postgres ? "postgres" : scheme, null, url.getHost(), port, "/" + name, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("a host, a port and a path always make a URI", e);
        }
    }

    /** The namespace of the dataset, such as {@code postgres://localhost:5432}. */
    static String namespace(URI dataset) {
        return dataset.getScheme() + "://" + (dataset.getAuthority() == null ? "" : dataset.getAuthority());
    }

    /** The name of the dataset, such as {@code shop.public.orders}. */
    static String name(URI dataset) {
        return dataset.getPath().replaceFirst("^/", "");
    }
}
