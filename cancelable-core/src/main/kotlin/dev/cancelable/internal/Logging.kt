package dev.cancelable.internal

import org.slf4j.Logger
import org.slf4j.LoggerFactory

internal fun logger(name: String): Logger = LoggerFactory.getLogger("dev.cancelable.$name")

/** Rethrows what no caller should swallow; everything else from user code is logged and contained. */
internal fun Throwable.rethrowIfFatal() {
    if (this is VirtualMachineError || this is LinkageError) throw this
}

/**
 * Whether operations put their id and name into the slf4j MDC: when a logging backend with a real
 * MDC is present, unless `-Ddev.cancelable.mdc=false`. Decided once; with slf4j's no-op MDC the
 * suspend path carries no thread-context element at all.
 */
internal object Mdc {
    val enabled: Boolean = System.getProperty("dev.cancelable.mdc")?.toBoolean() != false &&
        org.slf4j.MDC.getMDCAdapter().let { it != null && it !is org.slf4j.helpers.NOPMDCAdapter }
}
