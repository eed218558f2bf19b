package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledManuallyException
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/** One token, the stop button, cancels two running operations at once; it fires once, and links. */
object ManualTokenExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:token
        val stop = CancellationToken()
        stop.onCancelRequested { println("token callback: ${it.reason} - ${it.message}") }

        suspend fun import(table: String): Int {
            var rows = 0
            try {
                Cancelable(name = "import-$table", token = stop).run {
                    while (true) {
                        delay(50.milliseconds)
                        rows += 100
                    }
                }
            } catch (e: CanceledManuallyException) {
                println("import-$table canceled after $rows rows: ${e.reason} - ${e.message}")
            }
            return rows
        }

        val imports = listOf(async { import("users") }, async { import("orders") })
        delay(300.milliseconds)
        println("first cancel: ${stop.cancel(CancellationReason.MANUAL, "user pressed stop")}")
        println("second cancel: ${stop.cancel()}")              // a token is canceled once
        println("rows imported: ${imports.awaitAll().sum()}")
        // endregion

        val linked = CancellationToken(linkedTo = listOf(stop))     // canceled with any of its parents
        println("linked token: canceled=${linked.isCanceled}, reason=${linked.reason}")
    }
}
