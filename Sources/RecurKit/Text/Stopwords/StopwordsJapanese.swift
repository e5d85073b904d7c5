/// Japanese lists as MeCab/IPADIC base forms (plus a few surfaces MeCab keeps whole), written in NFKC.
enum StopwordsJapanese {
    /// Function words: particles, auxiliaries, formal nouns, demonstratives, pronouns, light verbs,
    /// conjunctions and function adverbs, honorific prefixes and suffixes, punctuation-like tokens.
    static let functionWords = """
    は が を に で と も の へ から まで より や か ね よ な わ ぞ ぜ さ って て ば けど けれど けれども
    し のに ので など なんか とか だけ しか ばかり ほど くらい ぐらい こそ でも ても さえ すら ながら つつ
    たり だり かな かしら ん っけ じゃ では には とは にも とも での への
    です ます だ た ない ぬ う よう れる られる せる させる らしい そう みたい べし べき ず まい じゃん
    こと もの ため よう ところ わけ はず つもり ほう 方 事 物 為 訳 筈 所 うち 際 とき 時 感じ
    これ それ あれ どれ この その あの どの ここ そこ あそこ どこ こちら そちら あちら どちら
    こう ああ どう こんな そんな あんな どんな こっち そっち あっち どっち
    私 わたし わたくし 僕 ぼく 俺 あなた 彼 彼女 彼ら 我々 われわれ 私たち 私共 自分 誰 何 なに なん
    弊社 貴社 御社 当社
    する いる ある なる できる 出来る いう 言う 思う おる くる 来る いく しまう おく みる くれる
    もらう あげる やる いたす 致す 参る おっしゃる 申す れる
    また そして しかし ただ でも だから なお さらに まず もう まだ すでに 既に とても 少し ちょっと 特に
    全く よく ほとんど 等 及び および 又は または 並びに つまり 例えば もし たとえ それで それでは
    そこで ところが ただし 一方 すぐ 必ず ぜひ 是非 ずっと かなり 実は 本当に
    のみ にて 更に 但し いずれ 又 てる でしょう 其の 此の 其れ 此れ
    お ご 御 さん 様 さま 殿 ら たち 達 的 頃 ごろ 中 毎 各 約
    、 。 ・ 「 」 『 』 ( ) [ ] 【 】 〈 〉 《 》 ! ? … ... ー 〜 ~ ; : 〃 ※
    """

    /// Greetings, thanks and sign-offs (also stopwords).
    static let courtesy = """
    よろしく 宜しく お世話 世話 なり ござい ございます ござる いつも 大変 お疲れ 疲れ お疲れ様 ありがとう
    有難う ありがとうございます 御礼 お礼 礼 申し上げる 存じる 存じます 拝啓 敬具 失礼 恐縮 恐れ入る
    何卒 なにとぞ 引き続き 今後 こんにちは はじめまして 初めまして 迅速
    """

    /// Words that mark a request: "please", "we would like to", "we are considering", "could you".
    static let requestCues = """
    お願い 願い 願う したい たい 検討 希望 ほしい 欲しい いただけ 頂け いただく 頂く いただける 頂ける
    ください 下さい くださる 下さる 依頼 要望 相談 可能 できれば 教え 教える 知りたい 導入
    """
}
