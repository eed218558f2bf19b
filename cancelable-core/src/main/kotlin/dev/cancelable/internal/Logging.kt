package dev.cancelable.internal

import org.slf4j.Logger
import org.slf4j.LoggerFactory

internal fun logger(name: String): Logger = LoggerFactory.getLogger("dev.cancelable.$name")

/** Rethrows what no caller should swallow; everything else from user code is logged and contained. */
internal fun Throwable.rethrowIfFatal() {
    if (this is VirtualMachineError || this is LinkageError) throw this
}
