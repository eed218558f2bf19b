package dev.cancelable.internal

import dev.cancelable.CancelationException
import dev.cancelable.CancelationReason
import dev.cancelable.ConditionCancelation
import dev.cancelable.ManualCancelation
import dev.cancelable.ParentCancelation
import dev.cancelable.SignalCancelation
import dev.cancelable.TimeoutCancelation

/** The typed exception for [reason]; a null [message] gives the type's default message. */
internal fun cancelationFor(
    reason: CancelationReason,
    message: String?,
    operationId: String? = null,
    parentId: String? = null,
): CancelationException = when (reason) {
    CancelationReason.TIMEOUT -> TimeoutCancelation(message, null, operationId)
    CancelationReason.MANUAL -> ManualCancelation(message, operationId)
    CancelationReason.SIGNAL -> SignalCancelation(message, null, null, operationId)
    CancelationReason.CONDITION -> ConditionCancelation(message, null, operationId)
    CancelationReason.PARENT -> ParentCancelation(message, parentId, operationId)
}
