package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.CanceledManuallyException
import dev.cancelable.examples.support.scaled
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
        stop.onCancel { println("token callback: ${it.reason} - ${it.message}") }

        suspend fun import(table: String): Int {
            var rows = 0
            try {
                Cancelable.withToken(stop, name = "import-$table").run {
                    while (true) {
                        delay(scaled(50.milliseconds))
                        rows += 100
                    }
                }
            } catch (e: CanceledManuallyException) {
                println("import-$table canceled after $rows rows: ${e.reason} - ${e.message}")
            }
            return rows
        }

        val imports = listOf(async { import("users") }, async { import("orders") })
        delay(scaled(300.milliseconds))
        println("first cancel: ${stop.cancel(CancellationReason.MANUAL, "user pressed stop")}")
        println("second cancel: ${stop.cancel()}")              // a token is canceled once
        println("rows imported: ${imports.awaitAll().sum()}")
        // endregion

        val linked = CancellationToken.linked(stop)                 // canceled with any of its parents
        println("linked token: canceled=${linked.isCanceled}, reason=${linked.reason}")
    }
}
