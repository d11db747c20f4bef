/**
 * The Twilio provider: chatrooms are Twilio Conversations found by unique name (never listed),
 * enrollment adds a Conversations participant, tokens are Twilio access tokens with a video grant
 * and, when chat is up, a chat grant.
 *
 * <ul>
 *   <li>All REST traffic goes through twilio-java's generated resources and one pooled Apache
 *       HttpClient 5 plugged in as twilio-java's {@code HttpClient}; {@code TWILIO_API_BASE_URL}
 *       replaces the host. twilio-java's own retry loop is disabled: Resilience4j retries
 *       (back-off with jitter, {@code Retry-After} honoured up to a cap) under the login's
 *       {@link dev.callchat.core.spi.Deadline}, behind one circuit breaker on the injected clock.</li>
 *   <li>With {@code TWILIO_CONVERSATIONS_SERVICE_SID} set, the service-scoped endpoints
 *       ({@code /v1/Services/IS…/Conversations…}) are used and the chat grant names that service;
 *       without it, the account's default service, as named by the conversation's
 *       {@code chat_service_sid}.</li>
 *   <li>Calls per login: new room 3, known but uncached room 2, cached room 1, refresh 0.</li>
 *   <li>Participant adds are paced per conversation ({@code ConversationPacer}) below Twilio's 30 actions
 *       per second, adapting to 429s; a login beyond the pace gets its token at once and its enrollment
 *       follows from a queue (chat status "pending"). A 429 never counts against the circuit breaker.
 *       See docs/twilio-limits.md.</li>
 * </ul>
 */
package dev.callchat.twilio;
