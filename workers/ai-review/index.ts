export { ChatCompletionsModel, chatCompletionsUrl, type ChatCompletionsOptions } from './chat-completions';
export { AiReviewError, type AiReviewErrorCode } from './errors';
export { GENERAL_POINT, parseFindings } from './findings';
export { PROMPT_VERSION, reviewMessages } from './prompt';
export type { AdvisoryAnswer, AdvisoryFinding, AdvisoryModel, CaseForReview } from './types';
