package dev.cancelable.facade

import dev.cancelable.Cancelable
import dev.cancelable.OperationScope
import dev.cancelable.facade.ScenarioTable.Act
import dev.cancelable.facade.ScenarioTable.CancelSelf
import dev.cancelable.facade.ScenarioTable.CatchCancellation
import dev.cancelable.facade.ScenarioTable.Fail
import dev.cancelable.facade.ScenarioTable.Mark
import dev.cancelable.facade.ScenarioTable.Outcome
import dev.cancelable.facade.ScenarioTable.Progress
import dev.cancelable.facade.ScenarioTable.Return
import dev.cancelable.facade.ScenarioTable.RunChild
import dev.cancelable.facade.ScenarioTable.Shield
import dev.cancelable.facade.ScenarioTable.Sleep
import dev.cancelable.facade.ScenarioTable.Spec
import dev.cancelable.facade.ScenarioTable.Step
import dev.cancelable.source.ConditionSource
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import kotlin.time.toKotlinDuration

/** The suspend path of the scenario table: the core's own API, in virtual time. */
object SuspendPath {

    @JvmStatic
    fun run(spec: Spec): Outcome {
        val outcome = Outcome()
        runTest {
            val op = operation(spec, ScenarioTable.NAME, "", outcome)
            try {
                outcome.value = op.run { interpret(spec, spec.steps(), outcome) }
            } catch (e: Throwable) {
                outcome.thrown = e
            }
        }
        return outcome
    }

    private fun operation(spec: Spec, name: String, prefix: String, outcome: Outcome): Cancelable {
        val events = outcome.events
        val condition = spec.condition()?.let { c -> ConditionSource({ c.asBoolean }, spec.checkInterval().toKotlinDuration(), "cnt") }
        return Cancelable(
            name = name,
            timeout = spec.timeout()?.toKotlinDuration(),
            token = spec.token(),
            sources = listOfNotNull(condition),
            registry = outcome.registry,
        )
            .onStart { events.add("${prefix}start") }
            .onProgress { r -> events.add("${prefix}progress:${r.message}@${r.operation.id}${r.metadata}") }
            .onCompleted { events.add("${prefix}completed") }
            .onCanceled { events.add("${prefix}canceled") }
            .onFailed { _, e -> events.add("${prefix}failed:${e.javaClass.simpleName}") }
    }

    private suspend fun OperationScope.interpret(spec: Spec, steps: List<Step>, outcome: Outcome): Any? {
        for (step in steps) {
            when (step) {
                is Sleep -> delay(step.duration().toKotlinDuration())
                is Progress -> reportProgress(step.message(), step.metadata())
                is Fail -> throw step.exception()
                is Act -> step.action().run()
                is CancelSelf -> operation.cancel()
                is Mark -> outcome.events.add("mark:" + step.label())
                is Return -> return step.value()
                is CatchCancellation -> try {
                    interpret(spec, listOf(step.inner()), outcome)
                } catch (_: CancellationException) {
                    // the task decides to carry on
                }
                is RunChild -> {
                    val child = spec.child()
                    operation(child, ScenarioTable.CHILD_NAME, "child.", outcome).run { interpret(child, child.steps(), outcome) }
                }
                is Shield -> shield { interpret(spec, step.steps(), outcome) }
                else -> throw UnsupportedOperationException("$step has no suspend form")
            }
        }
        return null
    }
}
