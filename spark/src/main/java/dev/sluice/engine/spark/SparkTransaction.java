package dev.sluice.engine.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.view.BaseView;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewMetadataParser;
import org.apache.iceberg.view.ViewOperations;

/**
 * What Spark lacks, a transaction over several statements, as Iceberg allows it: {@code begin} notes the metadata
 * file of every table and view of the warehouse, and a rollback commits each changed one back to its noted metadata
 * (one pointer swap each, so the data files of the rolled-back commits are never read again), drops the ones
 * created since and registers again the ones dropped. A commit keeps everything as the statements left it.
 *
 * <p>The note is also written to a journal in the warehouse folder ({@value #JOURNAL}) before the first statement, and
 * the commit is the journal's deletion (one atomic step). A process killed between begin and commit leaves the
 * journal: the next transaction to begin on the warehouse (under the run lock, so no other publish is in progress)
 * first rolls the warehouse back to it. So the statements of a transaction — a publish's Iceberg commits and the
 * outbox rows holding its catalog records, written in the same transaction — take effect together or not at all,
 * also across a kill. Readers in other sessions may see the statements' commits before a rollback undoes them: the
 * publish itself is one statement ({@link SparkDialect#publishView}, a view's pointer swap), so they never see half a
 * publish.
 */
final class SparkTransaction {
    /** The journal of the transaction in progress, in the warehouse folder; absent when none is. */
    static final String JOURNAL = "sluice_transaction.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Catalog catalog;
    private final Path journal;
    private final Map<TableIdentifier, String> tables;
    private final Map<TableIdentifier, String> views;

    private SparkTransaction(Catalog catalog, Path journal, Map<TableIdentifier, String> tables,
            Map<TableIdentifier, String> views) {
        this.catalog = catalog;
        this.journal = journal;
        this.tables = tables;
        this.views = views;
    }

    /**
     * Begins a transaction over the warehouse whose journal is {@code journal}: first rolls back what a killed
     * process's transaction left (its journal), then notes the warehouse and writes the note down.
     */
    static SparkTransaction begin(Catalog catalog, Path journal) {
        if (Files.exists(journal)) {
            interrupted(catalog, journal).rollback();
        }
        SparkTransaction transaction = new SparkTransaction(catalog, journal, tables(catalog), views(catalog));
        transaction.write();
        return transaction;
    }

    /** The transaction whose journal a process left behind, when that process is gone. */
    private static SparkTransaction interrupted(Catalog catalog, Path journal) {
        Journal written;
        try {
            written = JSON.readValue(journal.toFile(), Journal.class);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot read the Spark warehouse's transaction journal "
                    + "%s: %s; a run was killed in the middle of a publish and its tables may hold part of it: move "
                    + "the journal aside and run with --full-refresh", journal, e.getMessage());
        }
        if (written.alive()) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot begin a transaction in the Spark warehouse %s: "
                    + "process %d on %s is publishing in it (journal %s); wait for it to end, or stop it",
                    journal.getParent(), written.pid(), written.host(), journal);
        }
        return new SparkTransaction(catalog, journal, written.identified(written.tables()),
                written.identified(written.views()));
    }

    /** The commit: the statements' commits stay, and no later begin rolls them back. */
    void commit() {
        try {
            Files.deleteIfExists(journal);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot commit on Spark: the transaction journal %s "
                    + "cannot be deleted (%s); check that the warehouse folder can be written", journal,
                    e.getMessage());
        }
    }

    void rollback() {
        try {
            Map<TableIdentifier, String> nowTables = tables(catalog);
            for (Map.Entry<TableIdentifier, String> now : nowTables.entrySet()) {
                String before = tables.get(now.getKey());
                if (before == null) {
                    catalog.dropTable(now.getKey(), true);
                } else if (!before.equals(now.getValue())) {
                    TableOperations operations = ((BaseTable) catalog.loadTable(now.getKey())).operations();
                    TableMetadata old = TableMetadataParser.read(operations.io(), before);
                    operations.commit(operations.current(), old);
                }
            }
            for (Map.Entry<TableIdentifier, String> before : tables.entrySet()) {
                if (!nowTables.containsKey(before.getKey())) {
                    catalog.registerTable(before.getKey(), before.getValue());
                }
            }
            if (catalog instanceof ViewCatalog viewCatalog) {
                for (Map.Entry<TableIdentifier, String> now : views(catalog).entrySet()) {
                    String before = views.get(now.getKey());
                    if (before == null) {
                        viewCatalog.dropView(now.getKey());
                    } else if (!before.equals(now.getValue())) {
                        BaseView view = (BaseView) viewCatalog.loadView(now.getKey());
                        ViewOperations operations = view.operations();
                        ViewMetadata old = ViewMetadataParser.read(
                                org.apache.iceberg.Files.localInput(java.net.URI.create(before).getPath()));
                        operations.commit(operations.current(), old);
                    }
                }
            }
            // Views dropped since begin are not put back: no statement Sluice runs in a transaction drops one.
            Files.deleteIfExists(journal);
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot roll back on Spark: %s; the warehouse's tables "
                    + "may hold the failed statements' commits: run the pipeline again (the next publish rolls them "
                    + "back from the journal %s)", SparkFailures.message(e), journal);
        }
    }

    /** Writes the note durably, by a rename, before the transaction's first statement. */
    private void write() {
        ProcessHandle self = ProcessHandle.current();
        Journal written = new Journal(self.pid(), host(), self.info().startInstant().map(Object::toString).orElse(""),
                Journal.named(tables), Journal.named(views));
        Path next = journal.resolveSibling(JOURNAL + ".next");
        try {
            Files.write(next, JSON.writeValueAsBytes(written), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.move(next, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot begin a transaction on Spark: the journal %s "
                    + "cannot be written (%s); check that the warehouse folder can be written", journal,
                    e.getMessage());
        }
    }

    private static String host() {
        return Host.NAME;
    }

    /** This machine's name, looked up once (a lookup may ask DNS). */
    private static final class Host {
        static final String NAME = name();

        private static String name() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }

    /**
     * The journal's content: the process that wrote it (to tell a live publish from a killed one) and the metadata
     * file of each table and view at begin, each relation as its namespace levels followed by its name.
     */
    record Journal(long pid, String host, String started, Map<String, List<String>> tables,
            Map<String, List<String>> views) {
        /** Keyed by metadata file: an identifier's parts are a list, which a JSON object key cannot be. */
        static Map<String, List<String>> named(Map<TableIdentifier, String> relations) {
            Map<String, List<String>> named = new HashMap<>();
            relations.forEach((identifier, metadata) -> {
                List<String> parts = new ArrayList<>(Arrays.asList(identifier.namespace().levels()));
                parts.add(identifier.name());
                named.put(metadata, parts);
            });
            return named;
        }

        Map<TableIdentifier, String> identified(Map<String, List<String>> named) {
            Map<TableIdentifier, String> relations = new HashMap<>();
            named.forEach((metadata, parts) -> relations.put(TableIdentifier.of(parts.toArray(String[]::new)),
                    metadata));
            return relations;
        }

        /** True when the writing process still runs (on this host, with the same start): not a killed one's. */
        boolean alive() {
            if (!host.equals(host())) {
                // another machine's process: the run lock (held by the caller) says it is gone
                return false;
            }
            return ProcessHandle.of(pid).filter(process -> process.pid() != ProcessHandle.current().pid())
                    .filter(process -> process.info().startInstant().map(Object::toString).orElse("").equals(started))
                    .isPresent();
        }
    }

    private static Map<TableIdentifier, String> tables(Catalog catalog) {
        Map<TableIdentifier, String> locations = new HashMap<>();
        for (Namespace namespace : namespaces(catalog)) {
            for (TableIdentifier identifier : catalog.listTables(namespace)) {
                locations.put(identifier,
                        ((BaseTable) catalog.loadTable(identifier)).operations().current().metadataFileLocation());
            }
        }
        return locations;
    }

    private static Map<TableIdentifier, String> views(Catalog catalog) {
        Map<TableIdentifier, String> locations = new HashMap<>();
        if (catalog instanceof ViewCatalog viewCatalog) {
            for (Namespace namespace : namespaces(catalog)) {
                for (TableIdentifier identifier : viewCatalog.listViews(namespace)) {
                    locations.put(identifier, ((BaseView) viewCatalog.loadView(identifier)).operations().current()
                            .metadataFileLocation());
                }
            }
        }
        return locations;
    }

    private static Iterable<Namespace> namespaces(Catalog catalog) {
        return ((SupportsNamespaces) catalog).listNamespaces();
    }
}
