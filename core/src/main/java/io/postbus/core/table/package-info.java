/**
 * Postfix lookup tables read straight from their text sources, shared by the ingress and the
 * router. No Kafka, Vert.x or socket imports; time comes from an injected {@link java.time.Clock}.
 *
 * <p>{@link io.postbus.core.table.LookupTable} is the interface everything else uses (keys ignore
 * case). {@link io.postbus.core.table.TableSource#load()} reads one file in either
 * {@link io.postbus.core.table.TableFormat} — postmap(1) input ({@code PostmapFormat}) or aliases(5)
 * with :include: ({@code AliasesFormat}) — into an immutable
 * {@link io.postbus.core.table.TableSnapshot} with its warnings (duplicate keys: the first wins).
 * A file that does not parse throws {@link io.postbus.core.table.TableParseException} with the file,
 * the line and a typed problem. {@link io.postbus.core.table.ReloadingTable} follows a file on disk,
 * ConfigMap symlink swaps included, and keeps the last good version when a new one is broken
 * (docs/adr/0004-lookup-tables-reload.md).
 */
package io.postbus.core.table;
