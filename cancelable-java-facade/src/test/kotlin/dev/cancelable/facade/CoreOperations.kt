package dev.cancelable.facade

import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource

/**
 * The core's own operations, made for Java tests: the `Cancelable` factory takes a
 * `kotlin.time.Duration`, so its name is mangled and Java cannot call it.
 */
object CoreOperations {

    /** A new core operation named [name] in [registry], watching [sources]. */
    @JvmStatic
    fun create(name: String, registry: OperationRegistry, vararg sources: CancellationSource): Cancelable =
        Cancelable(name = name, sources = sources.toList(), registry = registry)
}
