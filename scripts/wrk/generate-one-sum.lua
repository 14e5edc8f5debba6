-- wrk: POST /generate with one random sum ("a+b", a and b below 1000) for the model "adder".
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
	return wrk.format(nil, nil, nil,
		string.format('{"model":"adder","inputs":["%d+%d"]}', math.random(0, 999), math.random(0, 999)))
end
