/** What the owner's pages say, in both languages: the layout, the home page, the packing list, the labels. */
import type { Translations } from '../language/translations.ts';
import type { B2ImportProblem } from '../shipments/b2-import.ts';
import type { ExportProblem } from '../shipments/carriers/common.ts';
import type { LabelFormat } from '../shipments/labels.ts';
import type { MarkOutcome } from '../shipments/shipments.ts';
import type { OwnerProblemKey } from './problems.ts';

export interface ChartStrings {
  /** One week's bar, for screen readers: the week's first day and its count. */
  week: (label: string, count: number) => string;
}

export const chartStrings: Translations<ChartStrings> = {
  ja: { week: (label, count) => `${label}の週：${count}件` },
  en: { week: (label, count) => `Week of ${label}: ${count}` },
};

export interface AdminStrings {
  /** The layout. */
  area: string;
  nav: { home: string; shipments: string; labels: string };
  navLabel: string;
  signedInAs: (email: string) => string;
  demoStandIn: string;
  /** The home page. */
  home: {
    title: string;
    today: string;
    toShip: (count: number) => string;
    dueToday: (count: number) => string;
    overdue: (count: number) => string;
    openList: string;
    subscribers: string;
    plan: string;
    status: string;
    count: string;
    noSubscribers: string;
    liveChart: string;
    shipmentsChart: string;
    noHistory: string;
    webhooks: string;
    lastReceived: (type: string, at: string) => string;
    noneReceived: string;
    lastFailure: (type: string, at: string) => string;
    noFailure: string;
    hourlyRun: string;
    lastRun: (at: string, read: number, found: number) => string;
    noRun: string;
    setup: string;
    setupFine: string;
    fix: string;
  };
  problems: Record<OwnerProblemKey, { problem: string; fix: string }>;
  /** The packing list and the history. */
  shipments: {
    title: string;
    toShipTab: string;
    historyTab: string;
    search: string;
    searchHint: string;
    searchButton: string;
    results: (query: string, count: number) => string;
    nothingToShip: string;
    nothingFound: string;
    number: string;
    shipBy: string;
    overdueBadge: string;
    shipTo: string;
    phone: string;
    plan: string;
    quantity: string;
    trackingNumber: string;
    carrier: string;
    markHint: string;
    markButton: string;
    shippedOn: (date: string) => string;
    track: string;
    result: (shipped: number) => string;
    outcome: Record<Exclude<MarkOutcome, 'shipped'> | 'malformed', string>;
  };
  /** The carrier files and the results import. */
  labels: {
    title: string;
    intro: (count: number) => string;
    formats: Record<LabelFormat, { name: string; note: string }>;
    download: string;
    downloadPart: (part: number, count: number) => string;
    inFile: (count: number) => string;
    leftOut: string;
    unavailable: string;
    reason: Record<ExportProblem['reason'], string>;
    fields: Record<string, string>;
    importTitle: string;
    importHint: string;
    importFile: string;
    importButton: string;
    importResult: (shipped: number) => string;
    importProblem: Record<B2ImportProblem | 'conflict', string>;
    row: (row: number) => string;
    notAFile: string;
    tooLarge: string;
  };
}

export const adminStrings: Translations<AdminStrings> = {
  ja: {
    area: '管理画面',
    nav: { home: 'ホーム', shipments: '発送', labels: '送り状' },
    navLabel: '管理メニュー',
    signedInAs: (email) => `${email} でログイン中`,
    demoStandIn:
      'デモ：Cloudflare Access の代わりに、このパソコンだけで動く仮の認証が owner@localhost としてログインさせています。公開するショップでは Cloudflare Access が本人を確認します。',
    home: {
      title: 'ショップの状況',
      today: '今日の発送',
      toShip: (count) => `未発送 ${count}件`,
      dueToday: (count) => `今日が発送期限 ${count}件`,
      overdue: (count) => `期限切れ ${count}件`,
      openList: '発送リストを開く',
      subscribers: '購読者',
      plan: 'プラン',
      status: '状態',
      count: '人数',
      noSubscribers: 'まだ購読者はいません。',
      liveChart: '有効な購読者数（週ごと、直近12週）',
      shipmentsChart: '出荷数（支払日の週ごと、直近12週）',
      noHistory: '記録はこれから貯まります（毎時の定期処理が数えます）。',
      webhooks: 'Stripe からの通知（Webhook）',
      lastReceived: (type, at) => `最後に処理した通知：${type}（${at}）`,
      noneReceived: '直近7日間に処理した通知はありません。',
      lastFailure: (type, at) => `最後の失敗：${type}（${at}）。Stripe が再送します。`,
      noFailure: '失敗した通知はありません。',
      hourlyRun: '毎時の定期処理',
      lastRun: (at, read, found) => `最後の実行：${at}（再読み込み ${read}件、見つかった出荷 ${found}件）`,
      noRun: 'まだ実行されていません（Cron Trigger が毎時17分に動きます）。',
      setup: '設定の確認',
      setupFine: '問題は見つかりませんでした。',
      fix: '直し方',
    },
    problems: {
      sampleProfile: {
        problem: 'ショップ情報（特商法の表記など）がまだ見本のままです。',
        fix: 'src/content/shop/profile.json を実際の内容に書き換え、"sample" を false にしてデプロイしてください。',
      },
      noShipping: {
        problem: 'SHIPPING_COUNTRIES が未設定のため、住所を集めず、出荷も記録されません。',
        fix: '発送する国を SHIPPING_COUNTRIES=JP のように設定してください（docs/setup.md）。',
      },
      noShippingRules: {
        problem:
          'ショップ情報に shipping（発送日・差出人）がないため、発送期限は平日3営業日で計算し、送り状は作れません。',
        fix: 'src/content/shop/profile.json に shipping を追加してください（docs/owner.md）。',
      },
      noB2Contract: {
        problem: 'B2クラウドの請求先顧客コードがないため、B2クラウド用のファイルは作れません。',
        fix: 'profile.json の shipping に b2（customerCode、freightNumber）を追加してください。',
      },
      noNotices: {
        problem: 'メール送信元が未設定のため、発送のお知らせメールは送られません。',
        fix: 'SIGN_IN_EMAIL_FROM と Email Sending を設定してください（docs/setup.md）。',
      },
      noWebhookSecret: {
        problem: 'STRIPE_WEBHOOK_SECRET が未設定のため、Stripe からの通知をすべて拒否しています。',
        fix: 'Webhook エンドポイントの署名シークレットを STRIPE_WEBHOOK_SECRET に設定してください。',
      },
      noStripeKey: {
        problem: 'STRIPE_API_KEY が未設定です。',
        fix: '制限付きキー（rk_…）を STRIPE_API_KEY に設定してください（docs/setup.md の権限表）。',
      },
      standIn: {
        problem: '管理画面はデモ用の仮の認証で開いています。',
        fix: '公開前に Cloudflare Access のアプリケーションを作り、ACCESS_TEAM_DOMAIN と ACCESS_AUD を設定してください。',
      },
    },
    shipments: {
      title: '発送',
      toShipTab: '未発送',
      historyTab: '発送済み・取り消し',
      search: '検索',
      searchHint: 'メールアドレス、氏名、伝票番号、出荷番号',
      searchButton: '探す',
      results: (query, count) => `「${query}」の検索結果：${count}件`,
      nothingToShip: '未発送の荷物はありません。',
      nothingFound: '見つかりませんでした。',
      number: '出荷番号',
      shipBy: '発送期限',
      overdueBadge: '期限切れ',
      shipTo: 'お届け先',
      phone: '電話',
      plan: '内容',
      quantity: '数量',
      trackingNumber: '伝票番号',
      carrier: '配送業者',
      markHint: '伝票番号を入れた荷物をまとめて発送済みにします。お客様に発送のお知らせメールが一度だけ送られます。',
      markButton: '発送済みにする',
      shippedOn: (date) => `${date} 発送`,
      track: '配送状況',
      result: (shipped) => `${shipped}件を発送済みにしました。`,
      outcome: {
        unchanged: 'すでに同じ伝票番号で発送済みです。',
        conflict: 'すでに別の伝票番号で発送済みのため、変更していません。',
        cancelled: '取り消された注文のため、発送済みにできません。',
        unknown: '該当する出荷がありません。',
        malformed: '伝票番号の形式が配送業者のものと合いません。',
      },
    },
    labels: {
      title: '送り状',
      intro: (count) => `未発送 ${count}件の送り状データを、配送業者の形式で書き出します。`,
      formats: {
        b2: { name: 'ヤマト運輸 B2クラウド', note: '「外部データから発行」で、取込み開始行を2にして取り込みます。' },
        clickpost: { name: '日本郵便 クリックポスト', note: '「まとめ申込み」用。1ファイル40件までです。' },
        yupri: {
          name: '日本郵便 ゆうプリR',
          note: '取り込み用フィルタで各列を項目に割り当ててください（最初の1行は見出しです）。',
        },
        spreadsheet: { name: '表計算（UTF-8 CSV）', note: 'Excel でそのまま開けます。すべての項目を含みます。' },
      },
      download: 'ダウンロード',
      downloadPart: (part, count) => `ファイル${part}（${count}件）`,
      inFile: (count) => `${count}件を含みます。`,
      leftOut: '次の荷物はファイルに入りません。直してから書き出すか、手書きで送ってください。',
      unavailable: 'この形式は使えません。',
      reason: {
        unprintable: '印字できない文字があります',
        too_long: '長すぎます',
        missing: '入力がありません',
        abroad: '国外の住所です',
        cancelled: '取り消し済みです',
      },
      fields: {
        name: '氏名',
        address: '住所',
        city: '都道府県・市区町村',
        line1: '町名・番地',
        line2: '建物名',
        postalCode: '郵便番号',
        phone: '電話番号',
        plan: '品名',
        country: '国',
        status: '状態',
        'sender.name': '差出人名',
        'sender.address': '差出人住所',
        'sender.building': '差出人建物名',
      },
      importTitle: 'B2クラウドの発行済みデータを取り込む',
      importHint:
        'B2クラウドの「発行済みデータの出力」で保存した CSV を選ぶと、お客様管理番号で出荷を探し、伝票番号を入れて発送済みにします。',
      importFile: 'CSV ファイル',
      importButton: '取り込む',
      importResult: (shipped) => `${shipped}件を発送済みにしました。`,
      importProblem: {
        missing_id: 'お客様管理番号がありません（B2クラウドで直接作った送り状）。',
        unknown_shipment: '該当する出荷がありません。',
        cancelled: '取り消された注文です。この荷物は送らないでください。',
        malformed_tracking_number: '伝票番号が12桁の数字ではありません。',
        duplicate: '同じ出荷が2回あります。最初の行だけを使いました。',
        conflict: 'すでに別の伝票番号で発送済みのため、変更していません。',
      },
      row: (row) => `${row}行目`,
      notAFile: 'B2クラウドの発行済みデータとして読めませんでした。',
      tooLarge: 'ファイルが大きすぎます（1 MiB まで）。',
    },
  },
  en: {
    area: 'Owner',
    nav: { home: 'Home', shipments: 'Shipments', labels: 'Labels' },
    navLabel: 'Owner menu',
    signedInAs: (email) => `Signed in as ${email}`,
    demoStandIn:
      'Demo: instead of Cloudflare Access, a stand-in that works on this computer only signs you in as owner@localhost. A deployed shop checks the owner with Cloudflare Access.',
    home: {
      title: 'The shop at a glance',
      today: 'To ship',
      toShip: (count) => `${count} to ship`,
      dueToday: (count) => `${count} due today`,
      overdue: (count) => `${count} overdue`,
      openList: 'Open the packing list',
      subscribers: 'Subscribers',
      plan: 'Plan',
      status: 'Status',
      count: 'Count',
      noSubscribers: 'No subscribers yet.',
      liveChart: 'Live subscribers (per week, last 12 weeks)',
      shipmentsChart: 'Shipments (by week paid, last 12 weeks)',
      noHistory: 'The history builds up from now on (the hourly run counts it).',
      webhooks: 'Stripe webhooks',
      lastReceived: (type, at) => `Last event applied: ${type} (${at})`,
      noneReceived: 'No event applied in the last 7 days.',
      lastFailure: (type, at) => `Last failure: ${type} (${at}). Stripe retries it.`,
      noFailure: 'No failed event.',
      hourlyRun: 'Hourly run',
      lastRun: (at, read, found) => `Last run: ${at} (${read} re-read, ${found} shipments found)`,
      noRun: 'Not run yet (the Cron Trigger runs at minute 17 of every hour).',
      setup: 'Setup check',
      setupFine: 'No problem found.',
      fix: 'Fix',
    },
    problems: {
      sampleProfile: {
        problem: 'The shop profile (the commerce disclosure and more) is still the sample.',
        fix: 'Write your own src/content/shop/profile.json, set "sample" to false, and deploy.',
      },
      noShipping: {
        problem: 'SHIPPING_COUNTRIES is not set: no address is collected and no shipment is recorded.',
        fix: 'Set the countries you ship to, e.g. SHIPPING_COUNTRIES=JP (docs/setup.md).',
      },
      noShippingRules: {
        problem:
          'The shop profile has no shipping section: ship-by dates count 3 weekdays, and no label file can be made.',
        fix: 'Add shipping to src/content/shop/profile.json (docs/owner.md).',
      },
      noB2Contract: {
        problem: 'No B2クラウド customer code: the B2クラウド file cannot be made.',
        fix: 'Add b2 (customerCode, freightNumber) to shipping in profile.json.',
      },
      noNotices: {
        problem: 'No e-mail sender: shipping notices are not sent.',
        fix: 'Set SIGN_IN_EMAIL_FROM and Email Sending up (docs/setup.md).',
      },
      noWebhookSecret: {
        problem: 'STRIPE_WEBHOOK_SECRET is not set: every Stripe event is refused.',
        fix: 'Set the webhook endpoint’s signing secret as STRIPE_WEBHOOK_SECRET.',
      },
      noStripeKey: {
        problem: 'STRIPE_API_KEY is not set.',
        fix: 'Set a restricted key (rk_…) as STRIPE_API_KEY (the permissions table in docs/setup.md).',
      },
      standIn: {
        problem: 'The owner’s pages open with the demo’s stand-in.',
        fix: 'Before going live, create the Cloudflare Access application and set ACCESS_TEAM_DOMAIN and ACCESS_AUD.',
      },
    },
    shipments: {
      title: 'Shipments',
      toShipTab: 'To ship',
      historyTab: 'Shipped and cancelled',
      search: 'Search',
      searchHint: 'E-mail, name, tracking number or shipment number',
      searchButton: 'Find',
      results: (query, count) => `Results for “${query}”: ${count}`,
      nothingToShip: 'Nothing to ship.',
      nothingFound: 'Nothing found.',
      number: 'Shipment',
      shipBy: 'Ship by',
      overdueBadge: 'Overdue',
      shipTo: 'Ship to',
      phone: 'Phone',
      plan: 'Contents',
      quantity: 'Qty',
      trackingNumber: 'Tracking number',
      carrier: 'Carrier',
      markHint:
        'Every parcel with a tracking number is marked shipped at once. Its subscriber gets one shipping notice by e-mail.',
      markButton: 'Mark shipped',
      shippedOn: (date) => `Shipped ${date}`,
      track: 'Track',
      result: (shipped) => `${shipped} marked shipped.`,
      outcome: {
        unchanged: 'Already shipped with this tracking number.',
        conflict: 'Already shipped with another tracking number: left as it was.',
        cancelled: 'Cancelled: it cannot be marked shipped.',
        unknown: 'No such shipment.',
        malformed: 'Not a tracking number of this carrier.',
      },
    },
    labels: {
      title: 'Labels',
      intro: (count) => `The ${count} parcels to ship, in each carrier’s layout.`,
      formats: {
        b2: { name: 'Yamato B2クラウド', note: 'Import it with 外部データから発行, starting at row 2.' },
        clickpost: { name: 'Japan Post Click Post', note: 'For まとめ申込み: at most 40 per file.' },
        yupri: {
          name: 'Japan Post ゆうプリR',
          note: 'Map each column to an item in an import filter (the first row is the header).',
        },
        spreadsheet: { name: 'Spreadsheet (UTF-8 CSV)', note: 'Opens in Excel as it is. Every field.' },
      },
      download: 'Download',
      downloadPart: (part, count) => `File ${part} (${count})`,
      inFile: (count) => `${count} in the file.`,
      leftOut: 'These parcels are left out of the file: fix them first, or write their labels by hand.',
      unavailable: 'This layout is not available.',
      reason: {
        unprintable: 'characters the carrier cannot print',
        too_long: 'too long',
        missing: 'missing',
        abroad: 'an address abroad',
        cancelled: 'cancelled',
      },
      fields: {
        name: 'Name',
        address: 'Address',
        city: 'Prefecture and city',
        line1: 'Street',
        line2: 'Building',
        postalCode: 'Postal code',
        phone: 'Phone',
        plan: 'Contents',
        country: 'Country',
        status: 'Status',
        'sender.name': 'Sender name',
        'sender.address': 'Sender address',
        'sender.building': 'Sender building',
      },
      importTitle: 'Import B2クラウド’s issued labels',
      importHint:
        'Choose the CSV saved with B2クラウド’s 発行済みデータの出力: each label’s お客様管理番号 finds its shipment, which is marked shipped with the label’s tracking number.',
      importFile: 'CSV file',
      importButton: 'Import',
      importResult: (shipped) => `${shipped} marked shipped.`,
      importProblem: {
        missing_id: 'No お客様管理番号 (a label made in B2クラウド by hand).',
        unknown_shipment: 'No such shipment.',
        cancelled: 'Cancelled: do not send this parcel.',
        malformed_tracking_number: 'The tracking number is not 12 digits.',
        duplicate: 'The same shipment twice: the first row counts.',
        conflict: 'Already shipped with another tracking number: left as it was.',
      },
      row: (row) => `Row ${row}`,
      notAFile: 'This does not read as B2クラウド’s issued labels.',
      tooLarge: 'The file is too large (1 MiB at most).',
    },
  },
};
