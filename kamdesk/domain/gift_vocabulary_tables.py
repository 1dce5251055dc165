"""The tables behind kamdesk.domain.gift_vocabulary: tag codes with their labels, and keywords → tags.

Keywords are written in Simplified Chinese or lower-case English; text in Traditional Chinese is
brought to Simplified characters (TRADITIONAL_TO_SIMPLIFIED) before it is matched, so one table
serves both scripts. Keywords separated by "|". English keywords also match their plural.
"""

from __future__ import annotations

from kamdesk.i18n import N_

# ---------------------------------------------------------------- tag codes and their labels

OCCASION_LABELS: dict[str, str] = {
    "mid_autumn": N_("Mid-Autumn Festival"),
    "spring_festival": N_("Spring Festival"),
    "dragon_boat": N_("Dragon Boat Festival"),
    "any_festival": N_("Any festival"),
    "everyday": N_("Everyday"),
    "special": N_("Special"),
}

CATEGORY_LABELS: dict[str, str] = {
    "tea": N_("Tea"),
    "coffee": N_("Coffee"),
    "liquor": N_("Liquor"),
    "wine": N_("Wine"),
    "beer": N_("Beer"),
    "food": N_("Food"),
    "sweets": N_("Sweets"),
    "fruit": N_("Fruit"),
    "speciality": N_("Local speciality"),
    "health": N_("Health food"),
    "craft": N_("Craft"),
    "stationery": N_("Stationery"),
    "electronics": N_("Electronics"),
    "tobacco": N_("Tobacco"),
    "flowers": N_("Flowers and plants"),
    "sports": N_("Sports gear"),
    "books": N_("Books"),
    "household": N_("Household goods"),
    "voucher": N_("Voucher"),
}

ATTRIBUTE_LABELS: dict[str, str] = {
    "alcohol": N_("Alcohol"),
    "tobacco": N_("Tobacco"),
    "sugar": N_("Sugar"),
    "pork": N_("Pork"),
    "beef": N_("Beef"),
    "mutton": N_("Mutton"),
    "meat": N_("Meat"),
    "seafood": N_("Seafood"),
    "nuts": N_("Nuts"),
    "dairy": N_("Dairy"),
    "spicy": N_("Spicy"),
    "caffeine": N_("Caffeine"),
    "perishable": N_("Perishable"),
    "ill_omen": N_("Unlucky as a gift (clock, pear, umbrella…)"),
}

#: Tags only a person has (tastes and interests), beside the categories and attributes above.
PERSON_TAG_LABELS: dict[str, str] = {
    "vegetarian": N_("Vegetarian"),
    "sichuan_food": N_("Sichuan food"),
    "hunan_food": N_("Hunan food"),
    "cantonese_food": N_("Cantonese food"),
    "hotpot": N_("Hotpot"),
    "western_food": N_("Western food"),
    "japanese_food": N_("Japanese food"),
    "golf": N_("Golf"),
    "fishing": N_("Fishing"),
    "travel": N_("Travel"),
    "basketball": N_("Basketball"),
    "football": N_("Football"),
    "badminton": N_("Badminton"),
    "tennis": N_("Tennis"),
    "table_tennis": N_("Table tennis"),
    "swimming": N_("Swimming"),
    "running": N_("Running and marathons"),
    "hiking": N_("Hiking"),
    "cycling": N_("Cycling"),
    "fitness": N_("Fitness"),
    "photography": N_("Photography"),
    "calligraphy": N_("Calligraphy"),
    "painting": N_("Painting"),
    "reading": N_("Reading"),
    "music": N_("Music"),
    "singing": N_("Singing"),
    "chess": N_("Chess and Go"),
    "mahjong": N_("Mahjong and cards"),
    "cars": N_("Cars"),
    "movies": N_("Films"),
    "antiques": N_("Antiques and collecting"),
    "pets": N_("Pets"),
}

#: Other names a person may type for a tag in an import cell (both Chinese scripts are listed;
#: the English and translated labels are accepted anyway).
TAG_ALIASES: dict[str, str] = {
    "mid_autumn": "中秋|中秋节|中秋節|mid autumn|mid-autumn|moon festival",
    "spring_festival": "春节|春節|新春|过年|過年|chinese new year|lunar new year|new year",
    "dragon_boat": "端午|端午节|端午節|dragon boat",
    "any_festival": "节日|節日|任意节日|任意節日|各节日|各節日|festival|any",
    "everyday": "日常|平时|平時|daily",
    "special": "特殊|特别|特別",
    "liquor": "白酒|烈酒|spirits|baijiu",
    "wine": "红酒|紅酒|葡萄酒",
    "beer": "啤酒",
    "tea": "茶|茶叶|茶葉",
    "coffee": "咖啡",
    "food": "食品",
    "sweets": "甜食|糖果|点心|點心",
    "fruit": "水果",
    "speciality": "特产|特產|土特产|土特產|speciality|specialty",
    "health": "保健|保健品|养生|養生",
    "craft": "工艺品|工藝品|手工艺|手工藝",
    "stationery": "文具",
    "electronics": "电子|電子|数码|數碼",
    "tobacco": "烟|菸|煙|烟草|菸草|香烟|香菸",
    "flowers": "花|鲜花|鮮花|绿植|綠植",
    "sports": "运动|運動|体育|體育",
    "books": "书|書|图书|圖書",
    "household": "家居|日用品",
    "voucher": "卡券|礼品卡|禮品卡|购物卡|購物卡",
    "alcohol": "酒|含酒|酒精",
    "sugar": "糖|含糖|甜|sweet",
    "pork": "猪肉|豬肉|猪|豬",
    "beef": "牛肉|牛",
    "mutton": "羊肉|羊|lamb",
    "meat": "肉|肉类|肉類|荤|葷",
    "seafood": "海鲜|海鮮|水产|水產",
    "nuts": "坚果|堅果|果仁",
    "dairy": "奶|乳制品|乳製品|奶制品|奶製品",
    "spicy": "辣|麻辣",
    "caffeine": "咖啡因",
    "perishable": "易腐|鲜|鮮|保鲜|保鮮|fresh",
    "vegetarian": "素食|吃素",
}

# ---------------------------------------------------------------- what implies what

#: A tag that brings others with it: a Sichuan-food lover likes spicy food, a liquor is alcohol …
IMPLIES: dict[str, frozenset[str]] = {
    "liquor": frozenset({"alcohol"}),
    "wine": frozenset({"alcohol"}),
    "beer": frozenset({"alcohol"}),
    "tea": frozenset({"caffeine"}),
    "coffee": frozenset({"caffeine"}),
    "sweets": frozenset({"sugar"}),
    "sichuan_food": frozenset({"spicy"}),
    "hunan_food": frozenset({"spicy"}),
    "pork": frozenset({"meat"}),
    "beef": frozenset({"meat"}),
    "mutton": frozenset({"meat"}),
}

#: What each taboo forbids besides itself ("vegetarian" is broken by any meat or seafood).
FORBIDS: dict[str, frozenset[str]] = {
    "vegetarian": frozenset({"meat", "pork", "beef", "mutton", "seafood"}),
    "meat": frozenset({"pork", "beef", "mutton"}),
    "alcohol": frozenset({"liquor", "wine", "beer"}),
    "caffeine": frozenset({"tea", "coffee"}),
    "sugar": frozenset({"sweets"}),
    "tobacco": frozenset({"tobacco"}),
}

#: Attributes that describe what is eaten or drunk: they do not carry over to a tea set or a wine rack.
CONSUMABLE_ATTRIBUTES = frozenset(
    {"alcohol", "tobacco", "sugar", "pork", "beef", "mutton", "meat", "seafood", "nuts", "dairy", "spicy", "caffeine"}
)
NOT_CONSUMED = frozenset({"craft", "stationery", "electronics", "sports", "books", "household", "voucher", "flowers"})

#: Occasions an item of a category suits when its name names none (a mooncake says Mid-Autumn itself).
CATEGORY_OCCASIONS: dict[str, frozenset[str]] = {
    "tea": frozenset({"any_festival", "special"}),
    "coffee": frozenset({"everyday"}),
    "liquor": frozenset({"any_festival", "special"}),
    "wine": frozenset({"any_festival", "special"}),
    "beer": frozenset({"everyday"}),
    "food": frozenset({"any_festival"}),
    "sweets": frozenset({"everyday"}),
    "fruit": frozenset({"everyday", "any_festival"}),
    "speciality": frozenset({"any_festival", "special"}),
    "health": frozenset({"any_festival", "special"}),
    "craft": frozenset({"special"}),
    "stationery": frozenset({"everyday"}),
    "electronics": frozenset({"special"}),
    "tobacco": frozenset({"any_festival"}),
    "flowers": frozenset({"everyday"}),
    "sports": frozenset({"special"}),
    "books": frozenset({"everyday", "special"}),
    "household": frozenset({"everyday"}),
    "voucher": frozenset({"any_festival"}),
}

#: Attributes every item of a category has.
CATEGORY_ATTRIBUTES: dict[str, frozenset[str]] = {
    "liquor": frozenset({"alcohol"}),
    "wine": frozenset({"alcohol"}),
    "beer": frozenset({"alcohol"}),
    "tea": frozenset({"caffeine"}),
    "coffee": frozenset({"caffeine"}),
    "sweets": frozenset({"sugar"}),
    "tobacco": frozenset({"tobacco"}),
    "fruit": frozenset({"perishable"}),
    "flowers": frozenset({"perishable"}),
}

# ---------------------------------------------------------------- item names → tags
# (keywords, category, attributes, occasions, interests the item suits). An empty category means
# the keyword only adds attributes or occasions. The last keyword with a category in a name wins
# (Chinese names end with their head: 普洱茶具 is a tea set, 火腿月饼 a mooncake).

ITEM_KEYWORDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("月饼|月饼礼盒|月饼券|mooncake|moon cake|mooncakes", "sweets", "sugar", "mid_autumn", ""),
    ("冰皮月饼", "sweets", "sugar perishable dairy", "mid_autumn", ""),
    ("大闸蟹|阳澄湖大闸蟹|hairy crab", "food", "seafood perishable", "mid_autumn", "seafood"),
    ("粽子|粽|肉粽|zongzi|rice dumpling", "food", "", "dragon_boat", ""),
    ("年货|年糕|春联|福字|新春礼盒|new year hamper", "food", "", "spring_festival", ""),
    ("汤圆|元宵", "sweets", "sugar", "spring_festival", ""),
    ("中秋|mid-autumn|mid autumn", "", "", "mid_autumn", ""),
    ("春节|新春|过年|新年|spring festival|chinese new year|lunar new year", "", "", "spring_festival", ""),
    ("端午|dragon boat", "", "", "dragon_boat", ""),
    ("茶|茶叶|茶饼|茶砖|tea|tea leaves|tea cake|tea brick", "tea", "caffeine", "", "tea"),
    (
        "普洱|龙井|西湖龙井|铁观音|大红袍|碧螺春|白茶|红茶|绿茶|乌龙|岩茶|毛尖|滇红|祁门红茶|安吉白茶|"
        "pu'er|puer|pu-erh|longjing|oolong|tieguanyin|da hong pao|white tea|green tea|black tea",
        "tea",
        "caffeine",
        "",
        "tea",
    ),
    ("茶具|茶器|紫砂壶|紫砂|茶杯|茶盘|茶宠|tea set|teapot|tea cups", "craft", "", "special", "tea"),
    ("咖啡|咖啡豆|挂耳咖啡|coffee|coffee beans", "coffee", "caffeine", "", "coffee"),
    (
        "白酒|茅台|飞天茅台|五粮液|汾酒|泸州老窖|国窖|剑南春|郎酒|洋河|西凤酒|二锅头|习酒|酒鬼酒|高粱酒|"
        "baijiu|moutai|maotai|wuliangye|fenjiu|liquor|spirits",
        "liquor",
        "alcohol",
        "",
        "liquor",
    ),
    ("威士忌|白兰地|干邑|伏特加|whisky|whiskey|brandy|cognac|vodka|scotch", "liquor", "alcohol", "", "liquor"),
    ("黄酒|绍兴黄酒|花雕|米酒|清酒|rice wine|sake|shaoxing wine", "liquor", "alcohol", "", "liquor"),
    ("酒|酒心", "", "alcohol", "", ""),
    (
        "红酒|葡萄酒|干红|干白|香槟|起泡酒|张裕|wine|red wine|white wine|champagne|bordeaux|波尔多",
        "wine",
        "alcohol",
        "",
        "wine",
    ),
    ("啤酒|精酿|beer|craft beer|lager", "beer", "alcohol", "", "beer"),
    ("酒具|酒杯|醒酒器|wine glasses|decanter", "craft", "", "special", "wine"),
    (
        "香烟|烟|中华烟|软中华|芙蓉王|雪茄|烟草|烟丝|cigarette|cigarettes|cigar|tobacco",
        "tobacco",
        "tobacco",
        "",
        "tobacco",
    ),
    ("烟台", "", "", "", ""),
    ("烟花", "", "", "", ""),
    (
        "糖|糖果|喜糖|巧克力|酥|凤梨酥|点心|糕点|蛋糕|饼干|曲奇|蛋卷|麻花|桃酥|"
        "chocolate|chocolates|candy|sweets|cookies|biscuits|pastries|pastry|cake",
        "sweets",
        "sugar",
        "",
        "sweets",
    ),
    ("蜂蜜|honey", "health", "sugar", "", "health"),
    (
        "坚果|核桃|杏仁|腰果|开心果|碧根果|夏威夷果|松子|花生|榛子|nuts|mixed nuts|walnut|almond|cashew|pistachio|peanut",
        "food",
        "nuts",
        "",
        "",
    ),
    (
        "火腿|金华火腿|宣威火腿|云腿|腊肉|腊肠|香肠|腊味|猪肉|鲜肉|肉松|培根|ham|bacon|sausage|pork|jinhua ham",
        "food",
        "pork meat",
        "",
        "",
    ),
    ("牛肉|牛肉干|牛排|和牛|牦牛肉|beef|beef jerky|steak|wagyu", "food", "beef meat", "", ""),
    ("羊肉|羊排|滩羊|lamb|mutton", "food", "mutton meat perishable", "", ""),
    ("烤鸭|北京烤鸭|盐水鸭|板鸭|鸡|鸭|鹅|roast duck|chicken|duck", "food", "meat", "", ""),
    (
        "海鲜|螃蟹|蟹|虾|对虾|鲍鱼|海参|干贝|扇贝|鱼|鱼干|鱼翅|鱿鱼|生蚝|"
        "seafood|crab|abalone|sea cucumber|shrimp|prawn|lobster|fish|scallop|oyster",
        "food",
        "seafood",
        "",
        "seafood",
    ),
    ("鲜|新鲜|fresh|live", "", "perishable", "", ""),
    ("辣|麻辣|辣椒酱|辣酱|老干妈|火锅底料|辣条|spicy|chili|chilli|chili sauce|hot sauce", "", "spicy", "", "spicy"),
    ("奶|牛奶|奶粉|奶酪|芝士|乳|milk|cheese|dairy", "", "dairy", "", ""),
    (
        "水果|苹果|橙|橙子|脐橙|荔枝|芒果|樱桃|车厘子|猕猴桃|哈密瓜|柚子|石榴|葡萄|蜜桔|桔|桃|"  # 梨: the ill-omen row
        "fruit|apple|orange|lychee|mango|cherry|kiwi|pomelo|grape|peach",
        "fruit",
        "perishable",
        "",
        "fruit",
    ),
    ("果篮|水果礼盒|fruit basket", "fruit", "perishable", "everyday any_festival", "fruit"),
    (
        "枸杞|宁夏枸杞|燕窝|人参|西洋参|冬虫夏草|虫草|阿胶|灵芝|石斛|红枣|保健品|ginseng|bird's nest|goji",
        "health",
        "",
        "",
        "health",
    ),
    (
        "大米|五常大米|小米|杂粮|挂面|香菇|木耳|松茸|菌|百合|兰州百合|粉丝|干货|腐竹|rice|noodles|mushroom|mushrooms|"
        "lily bulb|lily bulbs",
        "food",
        "",
        "",
        "",
    ),
    ("特产|土特产|local speciality|speciality|specialty", "speciality", "", "", ""),
    (
        "瓷器|景德镇|青花瓷|刺绣|苏绣|蜀绣|湘绣|丝巾|丝绸|玉|玉器|摆件|漆器|景泰蓝|字画|剪纸|折扇|扇子|唐卡|"
        "handicraft|porcelain|embroidery|silk|silk scarf|jade|fan",
        "craft",
        "",
        "special",
        "antiques",
    ),
    ("书法|字帖|毛笔|文房四宝|砚|宣纸|calligraphy set|ink brush", "craft", "", "special", "calligraphy"),
    ("国画|画册|油画|painting", "craft", "", "special", "painting"),
    (
        "钢笔|笔|笔记本|本子|台历|日历|挂历|文具|书签|记事本|pen|pens|notebook|calendar|desk calendar|stationery",
        "stationery",
        "",
        "everyday",
        "",
    ),
    (
        "耳机|蓝牙音箱|音箱|充电宝|移动电源|手环|智能手表|平板|u盘|笔记本电脑|"
        "headphones|earbuds|speaker|power bank|smartwatch|tablet|usb stick|laptop",
        "electronics",
        "",
        "",
        "",
    ),
    ("相机|镜头|camera|lens", "electronics", "", "special", "photography"),
    ("高尔夫|高尔夫球|球杆|golf|golf balls|golf club", "sports", "", "special", "golf"),
    ("鱼竿|钓竿|渔具|钓具|fishing rod|fishing tackle", "sports", "", "special", "fishing"),
    ("篮球|basketball", "sports", "", "special", "basketball"),
    ("足球|football|soccer ball", "sports", "", "special", "football"),
    ("羽毛球拍|羽毛球|badminton", "sports", "", "special", "badminton"),
    ("网球拍|网球|tennis", "sports", "", "special", "tennis"),
    ("乒乓球拍|乒乓球|table tennis", "sports", "", "special", "table_tennis"),
    ("瑜伽垫|健身|运动手环|yoga mat|fitness", "sports", "", "special", "fitness"),
    ("登山杖|徒步|户外|hiking poles|outdoor", "sports", "", "special", "hiking"),
    ("象棋|围棋|棋盘|chess set|go set", "craft", "", "special", "chess"),
    ("书|书籍|图书|book|books", "books", "", "", "reading"),
    (
        "鲜花|花束|花篮|兰花|蝴蝶兰|绿植|盆栽|百合花|flowers|bouquet|orchid|potted plant",
        "flowers",
        "perishable",
        "",
        "flowers",
    ),
    ("毛巾|床品|四件套|保温杯|杯子|餐具|电饭煲|cup|mug|thermos|towel", "household", "", "everyday", ""),
    ("购物卡|礼品卡|提货券|卡券|gift card|voucher|coupon", "voucher", "", "", ""),
    # Gifts that carry an ill omen in Chinese custom, for everyone, whatever their own taboos: a clock
    # (送钟 sounds like 送终, seeing someone to their death), a pear (梨, parting: 离), an umbrella (伞, falling
    # apart: 散), a knife or scissors (cutting ties), chrysanthemums (funerals), a green hat.
    ("钟|座钟|挂钟|闹钟|台钟|钟表|clock|clocks|wall clock|alarm clock", "", "ill_omen", "", ""),
    ("梨|梨子|雪梨|鸭梨|香梨|库尔勒香梨|pear|pears", "fruit", "perishable ill_omen", "", ""),
    ("凤梨|菠萝|pineapple", "fruit", "perishable", "", ""),
    ("伞|雨伞|折叠伞|umbrella|umbrellas", "household", "ill_omen", "", ""),
    ("刀|刀具|菜刀|剪刀|刀具套装|军刀|knife|knives|scissors", "household", "ill_omen", "", ""),
    ("菊花|白菊|黄菊|chrysanthemum|chrysanthemums", "flowers", "ill_omen", "", ""),
    ("菊花茶|胎菊|chrysanthemum tea", "tea", "", "", "tea"),
    ("绿帽|绿帽子|green hat", "", "ill_omen", "", ""),
)

# ---------------------------------------------------------------- what a person writes → tags
# (keywords, tags when liked, tags when refused). Keywords that only stop a wrong reading
# (烟台 is a city, 酒店 a hotel) have no tags at all.

PERSON_CONCEPTS: tuple[tuple[str, str, str], ...] = (
    ("酒|喝酒|饮酒|酒水|酒精|喝两杯|alcohol|drink|drinking|drinker|booze", "alcohol", "alcohol"),
    (
        "白酒|茅台|五粮液|汾酒|泸州老窖|剑南春|郎酒|二锅头|高粱酒|黄酒|花雕|清酒|米酒|威士忌|白兰地|伏特加|洋酒|"
        "baijiu|moutai|liquor|spirits|whisky|whiskey|brandy|vodka|sake|cognac",
        "liquor",
        "liquor",
    ),
    ("红酒|葡萄酒|干红|香槟|wine|red wine|champagne", "wine", "wine"),
    ("啤酒|精酿|beer|craft beer", "beer", "beer"),
    ("酒店|酒楼|酒会|wine list", "", ""),
    (
        "茶|喝茶|品茶|茶叶|普洱|龙井|铁观音|大红袍|碧螺春|白茶|红茶|绿茶|乌龙|岩茶|功夫茶|茶道|"
        "tea|pu'er|puer|longjing|oolong|green tea|black tea",
        "tea",
        "caffeine",
    ),
    ("奶茶|milk tea", "sweets", "sugar"),
    ("茶几|茶馆|茶餐厅", "", ""),
    ("咖啡|coffee|espresso|latte|cappuccino", "coffee", "caffeine"),
    ("咖啡因|caffeine", "", "caffeine"),
    (
        "甜|甜食|甜品|甜点|糖|糖果|巧克力|蛋糕|点心|月饼|sweets|sweet|dessert|desserts|candy|chocolate|cake|sugar",
        "sweets",
        "sugar",
    ),
    ("辣|吃辣|辣的|麻辣|辛辣|辣椒|spicy|spicy food|chili|chilli|hot pepper", "spicy", "spicy"),
    ("川菜|四川菜|sichuan food|sichuan cuisine|szechuan", "sichuan_food", "spicy"),
    ("湘菜|湖南菜|hunan food|hunan cuisine", "hunan_food", "spicy"),
    ("火锅|hotpot|hot pot", "hotpot", ""),
    ("粤菜|广东菜|早茶|饮茶|cantonese food|cantonese cuisine|dim sum", "cantonese_food", ""),
    ("西餐|牛排馆|western food", "western_food", ""),
    ("日料|日本料理|寿司|刺身|japanese food|sushi|sashimi", "japanese_food", "seafood"),
    (
        "海鲜|鱼|吃鱼|虾|蟹|螃蟹|大闸蟹|鲍鱼|海参|贝|生蚝|水产|seafood|fish|shrimp|prawn|crab|lobster|shellfish|oyster",
        "seafood",
        "seafood",
    ),
    ("肉|吃肉|荤|荤菜|meat", "meat", "meat"),
    ("猪肉|猪|火腿|腊肉|腊肠|香肠|培根|pork|ham|bacon", "pork", "pork"),
    ("牛肉|牛排|牛肉干|beef|steak", "beef", "beef"),
    ("牛羊肉|牛羊", "beef mutton", "beef mutton"),
    ("羊肉|羊排|涮羊肉|mutton|lamb", "mutton", "mutton"),
    (
        "坚果|花生|核桃|杏仁|腰果|开心果|榛子|松子|nut|nuts|peanut|peanuts|walnut|almond|cashew|pistachio|hazelnut",
        "",
        "nuts",
    ),
    ("牛奶|奶制品|乳制品|乳糖|奶酪|芝士|milk|dairy|lactose|cheese", "", "dairy"),
    (
        "烟|香烟|抽烟|吸烟|雪茄|烟草|电子烟|smoke|smoking|smoker|cigarette|cigarettes|cigar|cigars|tobacco",
        "tobacco",
        "tobacco",
    ),
    ("烟台|烟花|抽烟区", "", ""),
    ("水果|fruit", "fruit", ""),
    ("鲜花|养花|花卉|花草|兰花|盆栽|绿植|flowers|gardening|orchids", "flowers", ""),
    ("保健|养生|枸杞|燕窝|人参|虫草|健康饮食|health food|wellness|ginseng", "health", ""),
    ("高尔夫|打高尔夫|golf", "golf", ""),
    ("钓鱼|垂钓|海钓|fishing|angling|angler", "fishing", ""),
    ("旅游|旅行|出游|自驾|自驾游|travel|travelling|traveling|trips", "travel", ""),
    ("篮球|打篮球|nba|basketball", "basketball", ""),
    ("足球|踢球|看球|football|soccer", "football", ""),
    ("羽毛球|badminton", "badminton", ""),
    ("网球|tennis", "tennis", ""),
    ("乒乓球|乒乓|ping pong|table tennis", "table_tennis", ""),
    ("游泳|冬泳|swimming", "swimming", ""),
    ("跑步|马拉松|长跑|running|marathon|jogging", "running", ""),
    ("爬山|登山|徒步|户外|hiking|mountaineering|trekking", "hiking", ""),
    ("骑行|骑车|自行车|cycling|biking", "cycling", ""),
    ("健身|瑜伽|撸铁|gym|fitness|yoga", "fitness", ""),
    ("摄影|拍照|相机|photography|camera", "photography", ""),
    ("书法|写字|毛笔字|calligraphy", "calligraphy", ""),
    ("画画|国画|绘画|油画|painting", "painting", ""),
    ("读书|阅读|看书|reading|books", "reading", ""),
    ("音乐|听歌|乐器|钢琴|古筝|吉他|music|piano|guitar", "music", ""),
    ("唱歌|k歌|ktv|karaoke|singing", "singing", ""),
    ("象棋|围棋|下棋|chess|go game", "chess", ""),
    ("麻将|打牌|掼蛋|斗地主|牌局|mahjong|card games|poker", "mahjong", ""),
    ("汽车|玩车|赛车|越野|cars|car enthusiast", "cars", ""),
    ("电影|看电影|movies|films|cinema", "movies", ""),
    ("收藏|古玩|文玩|古董|紫砂|antiques|collecting", "antiques", ""),
    ("养狗|养猫|宠物|pets|dogs|cats", "pets", ""),
)

#: Phrases read as a whole before single keywords: (keywords, tags liked, tags refused).
PERSON_PHRASES: tuple[tuple[str, str, str], ...] = (
    ("清真|穆斯林|回民|回族|伊斯兰|halal|muslim|islamic", "", "pork alcohol"),
    ("犹太|kosher", "", "pork seafood"),
    (
        "糖尿病|血糖高|血糖偏高|高血糖|控糖|戒糖|控制血糖|diabetes|diabetic|high blood sugar|sugar-free diet",
        "",
        "sugar",
    ),
    ("酒量不行|酒量差|酒量小|不胜酒力|一杯就倒|沾酒就醉|酒精过敏", "", "alcohol"),
    ("喝茶睡不着|喝咖啡睡不着|咖啡因过敏|caffeine sensitive", "", "caffeine"),
    ("素食|吃素|素食者|全素|吃斋|持斋|茹素|vegetarian|vegan", "", "vegetarian"),
    ("滴酒不沾|teetotal|teetotaler|teetotaller|non-drinker|nondrinker", "", "alcohol"),
    ("烟酒不沾|烟酒都不沾", "", "alcohol tobacco"),
    ("痛风|尿酸高|高尿酸|gout", "", "seafood alcohol"),
    ("怀孕|孕期|备孕|哺乳期|pregnant|pregnancy|breastfeeding", "", "alcohol tobacco"),
    ("乳糖不耐|lactose intolerant|lactose intolerance", "", "dairy"),
    ("口味清淡|吃得清淡|饮食清淡|只吃清淡", "", "spicy"),
    ("无辣不欢|嗜辣|能吃辣|爱吃辣|很能吃辣", "spicy", ""),
    ("酒量好|好酒量|酒量大|海量|能喝|好酒", "alcohol", ""),
    ("老烟枪|烟不离手|chain smoker|heavy smoker", "tobacco", ""),
)

# ---------------------------------------------------------------- Traditional → Simplified

_TRADITIONAL = (
    "龍觀鐵餅煙菸臘魚蝦雞鴨鵝豬麵飯飲紅綠黃葉禮堅齋腸醬滷燒蔥薑蘿蔔葷戲釣遊書畫樂攝電腦機錶筆記籃網爾騎車馬鬆歡愛"
    "討厭沒別對會醫藥補參窩蟲棗寧華廣東粵鍋雲臺灣瀘劍糧鹽鹹點餃湯圓節貨蘋櫻獼鮮貝鮑魷藝術繡絲綢傳統質們來歷產區縣"
    "鄉選開關門問題氣壓懷帶彈幾麼說話為從還這與後經鵪鶉醃燻蠔鰻鱸鯉鮭鱈貢嶺團盤壺盞鋼錢幣籤簽讀閱寫圍將撲運動劃溫"
    "營麗園養寵貓鳥錄聽劇視數碼髮發穩時間減膽風體檢島腎臟嬰兒歲親輩師長總闆請謝給贈個隻樣種類條兩價購買賣貴賤濃"
    "獨調筍廳館烏蓮頭鳳張興島蘭閘陽麥餑蘇雲內犛絨領紙檯燈飾鐲瑪銀檳捲鞋裝備燉燜極喫裡誰過嗎媽該邊無歲韓義溝鬧"
    "乾釀遠離絕熱癡專業廠農場廚覺癮辦脫麪鷄蕎餡薩蘆緻費紹檸"
)
_SIMPLIFIED = (
    "龙观铁饼烟烟腊鱼虾鸡鸭鹅猪面饭饮红绿黄叶礼坚斋肠酱卤烧葱姜萝卜荤戏钓游书画乐摄电脑机表笔记篮网尔骑车马松欢爱"
    "讨厌没别对会医药补参窝虫枣宁华广东粤锅云台湾泸剑粮盐咸点饺汤圆节货苹樱猕鲜贝鲍鱿艺术绣丝绸传统质们来历产区县"
    "乡选开关门问题气压怀带弹几么说话为从还这与后经鹌鹑腌熏蚝鳗鲈鲤鲑鳕贡岭团盘壶盏钢钱币签签读阅写围将扑运动划温"
    "营丽园养宠猫鸟录听剧视数码发发稳时间减胆风体检岛肾脏婴儿岁亲辈师长总板请谢给赠个只样种类条两价购买卖贵贱浓"
    "独调笋厅馆乌莲头凤张兴岛兰闸阳麦饽苏云内牦绒领纸台灯饰镯玛银槟卷鞋装备炖焖极吃里谁过吗妈该边无岁韩义沟闹"
    "干酿远离绝热痴专业厂农场厨觉瘾办脱面鸡荞馅萨芦致费绍柠"
)
assert len(_TRADITIONAL) == len(_SIMPLIFIED), (len(_TRADITIONAL), len(_SIMPLIFIED))
TRADITIONAL_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
