package io.postbus.router.core;

import io.postbus.core.table.AliasesFormat;
import io.postbus.core.table.LookupTable;
import io.postbus.core.table.PostmapFormat;
import java.nio.file.Path;
import java.util.List;

/** Lookup tables written inline, in the text formats operators write (postmap and aliases). */
final class Tables {
    private Tables() {}

    static List<LookupTable> postmap(String name, String... lines) {
        return List.of(PostmapFormat.parse(String.join("\n", lines) + "\n", name));
    }

    static List<LookupTable> aliases(String... lines) {
        return List.of(AliasesFormat.parse(String.join("\n", lines) + "\n", "aliases", Path.of("/nonexistent")));
    }
}
