package dev.sluice;

import java.nio.file.Path;
import java.util.List;

/**
 * The names a user gives the API, checked against the project and mapped to the names the catalog keeps: a model's
 * file name, or a source's or model's qualified name.
 *
 * @param root the project folder, as error messages name it
 */
record ProjectNames(dev.sluice.project.Project project, Path root) {
    /**
     * Refuses a name that is neither a model nor a source of the project (null means all), so that a typo is an error
     * rather than an empty answer.
     */
    void requireModelOrSource(String action, String name) {
        if (name == null || project.model(name).isPresent()
                || project.models().stream().anyMatch(model -> model.qualifiedName().equalsIgnoreCase(name))
                || project.sources().stream().anyMatch(source -> source.qualifiedName().equalsIgnoreCase(name))) {
            return;
        }
        List<String> names = new java.util.ArrayList<>();
        project.models().forEach(model -> names.add(model.name()));
        project.sources().forEach(source -> names.add(source.qualifiedName()));
        throw new SluiceException(ErrorCode.USAGE, "Cannot %s '%s': the project has no such model or source%s; see "
                + "sluice ls %s", action, name, dev.sluice.project.Names.didYouMean(name, names), root);
    }

    /**
     * The name the catalog keeps a model under ({@code schema.name}, as lineage and storage tables do) for a name a
     * user gives: a model's file name, or a source's or model's qualified name (kept as given); null stays null.
     */
    String catalogName(String name) {
        return name == null ? null : project.model(name).map(dev.sluice.project.Model::qualifiedName).orElse(name);
    }

    /**
     * The name a user gives for what the catalog keeps as {@code stored}: a model's name, a source's qualified name as
     * the project spells it, or the stored name itself (of a model or source the project no longer has).
     */
    String userName(String stored) {
        return project.models().stream().filter(m -> m.qualifiedName().equalsIgnoreCase(stored))
                .map(dev.sluice.project.Model::name).findFirst()
                .or(() -> project.sources().stream().filter(s -> s.qualifiedName().equalsIgnoreCase(stored))
                        .map(dev.sluice.project.Source::qualifiedName).findFirst())
                .orElse(stored);
    }

    /** The model (lower-case file name) the catalog's qualified name stands for, or the name itself (lower case). */
    String modelName(String stored) {
        return project.models().stream().filter(m -> m.qualifiedName().equalsIgnoreCase(stored))
                .map(dev.sluice.project.Model::name).findFirst().orElse(stored).toLowerCase(java.util.Locale.ROOT);
    }
}
