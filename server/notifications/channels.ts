import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../log';

/** A notice leaving the platform: to a mobile number (the `sms` notices of the outbox). */
export interface OutgoingNotice {
  id: string;
  recipient: string;
  text: string;
  template: string;
}

/** Where `sms` notices go: the log by default, an SMTP relay (an e-mail-to-SMS gateway) by configuration. */
export interface NoticeChannel {
  readonly name: string;
  send(notice: OutgoingNotice): Promise<void>;
  close?(): void;
}

/** Writes each notice to the log: development, and deployments whose gateway reads the log stream. */
export class LogChannel implements NoticeChannel {
  readonly name = 'log';
  constructor(private readonly log: Logger) {}
  async send(notice: OutgoingNotice): Promise<void> {
    this.log.info('notice sent', { channel: 'log', recipient: notice.recipient, template: notice.template, text: notice.text });
  }
}

export interface SmtpChannelOptions {
  /** `smtp://user:password@host:port` or `smtps://…` */
  url: string;
  from: string;
  /** The gateway's address for a mobile number, `{phone}` replaced, e.g. `{phone}@sms.gateway.gov.cn`. */
  recipientPattern: string;
}

/** Sends each notice as an e-mail through an SMTP relay to the gateway's address for the number. */
export class SmtpChannel implements NoticeChannel {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpChannelOptions) {
    this.transport = nodemailer.createTransport(options.url);
  }

  async send(notice: OutgoingNotice): Promise<void> {
    await this.transport.sendMail({
      from: this.options.from,
      to: this.options.recipientPattern.replace('{phone}', notice.recipient),
      subject: `【政务服务】${notice.template}`,
      text: notice.text,
      headers: { 'X-Notice-Id': notice.id },
    });
  }

  close(): void {
    this.transport.close();
  }
}
