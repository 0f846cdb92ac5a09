package dev.sluice.engine.spark;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.util.HashMap;
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
 * created since and registers again the ones dropped. A commit keeps everything as the statements left it. Readers
 * in other sessions may see the statements' commits before a rollback undoes them: the publish itself is one
 * statement ({@link SparkDialect#publishView}, a view's pointer swap), so they never see half a publish.
 */
final class SparkTransaction {
    private final Catalog catalog;
    private final Map<TableIdentifier, String> tables;
    private final Map<TableIdentifier, String> views;

    private SparkTransaction(Catalog catalog, Map<TableIdentifier, String> tables, Map<TableIdentifier, String> views) {
        this.catalog = catalog;
        this.tables = tables;
        this.views = views;
    }

    static SparkTransaction begin(Catalog catalog) {
        return new SparkTransaction(catalog, tables(catalog), views(catalog));
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
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot roll back on Spark: %s; the warehouse's tables "
                    + "may hold the failed statements' commits: run the pipeline again to rebuild them",
                    SparkFailures.message(e));
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
