/**
 * The per-invocation model of lab-automation servers (labthings-fastapi), built on the facade: a
 * blocking action runs with an invocation id in its thread's context, and a client may ask it to stop
 * through a resettable cancel request that raises once per request. See {@link
 * dev.cancelable.facade.invocation.Invocations}.
 */
package dev.cancelable.facade.invocation;
