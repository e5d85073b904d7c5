/// Finnish lists: surface forms and Voikko base forms ("olla", "se", "tämä", "joka", "minä", "ei", "voida").
enum StopwordsFinnish {
    /// Function words: personal and demonstrative pronouns and their case forms, relative and interrogative
    /// pronouns, olla forms, the negation verb, conjunctions, pronominal and sentence adverbs, postpositions.
    static let functionWords = """
    lisää enemmän vähemmän osalta
    minä minun minua minussa minusta minuun minulla minulta minulle minut mä mun mua mulla mulle
    sinä sinun sinua sinussa sinusta sinuun sinulla sinulta sinulle sinut sä sun sua
    hän hänen häntä hänessä hänestä häneen hänellä häneltä hänelle hänet
    me meidän meitä meissä meistä meihin meillä meiltä meille meidät
    te teidän teitä teissä teistä teihin teillä teiltä teille teidät
    he heidän heitä heissä heistä heihin heillä heiltä heille heidät
    se sen sitä siinä siitä siihen sillä siltä sille ne niiden niitä niissä niistä niihin niillä niiltä niille
    tämä tämän tätä tässä tästä tähän tällä tältä tälle tänä nämä näiden näitä näissä näistä näihin näillä näille
    tuo tuon tuota tuossa tuosta tuohon nuo noiden noita
    joka jonka jota jossa josta johon jolla jolta jolle jona jotka joiden joita joissa joista joihin joilla joille
    mikä minkä mitä missä mistä mihin millä miltä mille mitkä
    kuka kenen ketä kenellä kenelle keneltä ketkä
    itse itseään itsensä itseni itsemme oma oman omaa omat omien omia
    joku jonkun jotakin jotain jokin jonkin mikään minkään mitään kukaan kenenkään kumpikin
    kaikki kaiken kaikkea kaikkien kaikkia kaikille kaikilla kaikissa
    muu muut muiden muita muuta muun muille
    jokainen jokaisen jokaista jokaiselle
    olla olen olet on olemme olette ovat oli olin olit olimme olitte olivat ollut olleet olisi olisin olisit
    olisimme olisitte olisivat ole ollaan oltiin oltu olevan oleva olevat olleen olisiko onko oliko ovatko
    ei en et emme ette eivät eikä ettei enkä
    ja sekä tai vai mutta vaan että jotta koska kun jos kuin vaikka sillä joten eli kuten mikäli ellei kunnes
    myös vain jo vielä nyt sitten siis niin näin noin kyllä aina usein ehkä juuri aivan hyvin erittäin melko
    todella paljon vähän enemmän vähemmän kuitenkin siksi myöskin tosin taas jälleen heti yhä jopa lähes
    täällä siellä tuolla tänne sinne tuonne miten miksi milloin kuinka tällöin silloin nykyään koskaan
    kanssa mukaan kautta jälkeen ennen aikana yli alle ilman kohti vastaan luona takia vuoksi välillä
    ympäri päälle alla yllä sisällä asti saakka lähtien mennessä varten puolesta avulla sijaan
    voida voi voivat voisi voidaan voin voit voimme pitää pitäisi piti täytyä täytyy täytyisi tulee
    toinen toisen toista sama samaa samaan saman muutama muutaman moni monen molemmat eräs ainoa lisäksi
    suhteen huolimatta ohella sisään luokse myötä kera keskellä puitteissa ympärillä ääressä vasten mukana
    saattaa saattoi taitaa aikoa itselleen
    """

    /// Greetings, thanks and sign-offs (also stopwords).
    static let courtesy = """
    hei moi terve moikka hyvä hyvää päivää huomenta iltaa kiitos kiitoksia kiittäen kiittää terveisin
    tervehdys ystävällisin ystävällisesti parhain lämpimin arvoisa yst
    """

    /// Words that mark a request: wanting, needing, asking, "could you", "we are interested".
    static let requestCues = """
    haluaisimme haluamme haluaisin haluan haluaisitteko haluta
    tarvitsemme tarvitsisimme tarvitsen tarvitaan tarvita tarvitsisin
    voisitteko voitteko voisitko voisimmeko voisiko voisinko
    pyydämme pyytäisimme pyydän pyytää pyyntö
    toivomme toivoisimme toivon toivoa toive
    kiinnostaa kiinnostaisi kiinnostunut kiinnostuneita kiinnostuneet
    etsimme etsiä suunnittelemme
    kertoa kertoisitteko tietää selvittää kysyä kysyi kysyivät kokemus kokemusta
    """
}
